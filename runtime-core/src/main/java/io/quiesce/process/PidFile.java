package io.quiesce.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A PID file: one decimal process id and a newline, as {@code kill $(cat quiesce.pid)} expects.
 * Who that process is lives beside it, in the {@link InstanceRecord}: {@link #read} trusts a live
 * PID only if the record says it is the instance that was launched. {@link #claim()} creates it empty and
 * atomically, so two {@code start} commands racing for the same file cannot both win; the PID is
 * then written with an atomic rename, so a reader sees either nothing or the whole number.
 */
public final class PidFile {

  /** What the file says, and whether that process is alive and is the instance. */
  public sealed interface Entry {
    /** No PID file: no instance was started, or it stopped and removed it. */
    record Absent() implements Entry {}

    /** The file names a live process, and the instance record says it is the instance launched. */
    record Live(ProcessHandle process, InstanceRecord instance) implements Entry {}

    /**
     * The file names a live process that is not the instance (the PID was reused after a crash,
     * or written by hand): the file is stale, and that process must never be signalled.
     */
    record NotTheInstance(long pid, String why) implements Entry {}

    /** The file names a process that no longer exists (it crashed, or was killed). */
    record Stale(long pid) implements Entry {}

    /** The file exists but holds no PID (a start in progress, or not a PID file at all). */
    record Unreadable(String problem) implements Entry {}
  }

  private final Path path;

  public PidFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /**
   * Reads the file, looks the process up and, if it is alive, checks it against the instance
   * record in {@code instanceFile}.
   */
  public Entry read(Path instanceFile) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return new Entry.Absent();
    } catch (IOException e) {
      return new Entry.Unreadable("cannot read " + path + ": " + e);
    }
    if (text.isEmpty()) {
      return new Entry.Unreadable(path + " is empty (is another start in progress?)");
    }
    long pid;
    try {
      pid = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return new Entry.Unreadable(path + " does not hold a process id: \"" + abbreviate(text) + "\"");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return new Entry.Stale(pid);
    }
    Optional<InstanceRecord> instance = InstanceRecord.read(instanceFile);
    if (instance.isEmpty()) {
      return new Entry.NotTheInstance(pid, "no instance record at " + instanceFile + " vouches for it");
    }
    Optional<String> mismatch = instance.get().mismatch(process.get());
    if (mismatch.isPresent()) {
      return new Entry.NotTheInstance(pid, mismatch.get());
    }
    return new Entry.Live(process.get(), instance.get());
  }

  /**
   * Creates the file, empty, if it does not exist (and its directory).
   *
   * @throws java.nio.file.FileAlreadyExistsException if it exists
   */
  public void claim() throws IOException {
    Files.createDirectories(path.getParent());
    Files.createFile(path);
  }

  /** Writes {@code pid}, replacing the content atomically. */
  public void write(long pid) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public void delete() throws IOException {
    Files.deleteIfExists(path);
  }

  /** Deletes the file only if it names {@code pid}: an instance cleans up its own file, never another's. */
  public void deleteIfNames(long pid) throws IOException {
    try {
      if (Files.readString(path, StandardCharsets.US_ASCII).strip().equals(Long.toString(pid))) {
        Files.deleteIfExists(path);
      }
    } catch (NoSuchFileException e) {
      // already gone
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
