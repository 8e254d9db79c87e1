package io.quiesce.sample.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The few file operations that make a write survive {@code kill -9} and power loss: write a temp
 * file, fsync it, rename it over the target, fsync the directory. A reader sees the old file or the
 * new one, never half of one. Every fsync goes through the {@link FileSync} given. Blocking: call
 * from worker threads only.
 */
final class DurableFiles {

  /** Names starting with this are our own unfinished writes; a crash may leave them behind. */
  static final String TEMP_PREFIX = ".tmp-";
  /** Names starting with this are directories being removed; a crash may leave them behind. */
  static final String DELETED_PREFIX = ".deleted-";

  private final FileSync sync;

  DurableFiles(FileSync sync) {
    this.sync = sync;
  }

  /** Forces {@code ch}, the open file {@code file}, through the seam. */
  void force(FileChannel ch, Path file) throws IOException {
    sync.force(ch, file);
  }

  /** Writes {@code parts} to a new fsynced temp file in {@code dir} and returns its path. */
  Path writeTemp(Path dir, byte[]... parts) throws IOException {
    Path tmp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (byte[] part : parts) {
        ByteBuffer buf = ByteBuffer.wrap(part);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      }
      sync.force(ch, tmp);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /** Atomically replaces {@code target} with {@code tmp} (the directory is not yet fsynced). */
  static void commit(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes {@code target} atomically and durably. */
  void replace(Path target, byte[]... parts) throws IOException {
    commit(writeTemp(target.getParent(), parts), target);
    syncDirectory(target.getParent());
  }

  /** Makes renames, creations and deletions in {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      sync.force(ch, dir);
    }
  }

  /** Deletes {@code file} and makes the deletion durable; false if it was not there. */
  boolean delete(Path file) throws IOException {
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      syncDirectory(file.getParent());
    }
    return deleted;
  }

  /**
   * Removes a directory tree durably: first renamed out of sight in one atomic step (so a crash
   * never leaves half of it looking alive), then deleted.
   */
  void deleteTree(Path dir) throws IOException {
    Path doomed = dir.resolveSibling(DELETED_PREFIX + UUID.randomUUID());
    Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir.getParent());
    deleteLeftover(doomed);
  }

  /** Deletes a tree that is already out of sight (a leftover of a crash, or of {@link #deleteTree}). */
  static void deleteLeftover(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Creates {@code dir} with its parents and makes the new entry durable in its parent. */
  void createDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      syncDirectory(dir.getParent());
    }
  }

  static boolean isLeftover(Path p) {
    String name = p.getFileName().toString();
    return name.startsWith(TEMP_PREFIX) || name.startsWith(DELETED_PREFIX);
  }
}
