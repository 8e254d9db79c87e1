package io.quiesce.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A PID file: one decimal process id and a newline. {@link #claim()} creates it empty and
 * atomically, so two {@code start} commands racing for the same file cannot both win; the PID is
 * then written with an atomic rename, so a reader sees either nothing or the whole number.
 */
public final class PidFile {

  /** What the file says, and whether that process is alive. */
  public sealed interface Entry {
    /** No PID file: no instance was started, or it stopped and removed it. */
    record Absent() implements Entry {}

    /** The file names a process that is alive. */
    record Live(ProcessHandle process) implements Entry {}

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

  /** Reads the file and looks the process up. */
  public Entry read() {
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
    return process.<Entry>map(Entry.Live::new).orElseGet(() -> new Entry.Stale(pid));
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
