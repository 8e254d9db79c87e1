package io.quiesce.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** An emulator's data directory: one the test gave (kept), or a fresh one the kit made (deleted at close). */
final class DataDirectory implements AutoCloseable {

  private final Path path;
  private final boolean owned;

  private DataDirectory(Path path, boolean owned) {
    this.path = path;
    this.owned = owned;
  }

  static DataDirectory of(Path given) {
    if (given != null) {
      return new DataDirectory(given, false);
    }
    try {
      return new DataDirectory(Files.createTempDirectory("quiesce-test-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data directory", e);
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    if (!owned || !Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary data directory " + path, e);
    }
  }
}
