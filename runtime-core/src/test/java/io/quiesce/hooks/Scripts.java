package io.quiesce.hooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes small shell scripts for hook tests. */
final class Scripts {

  private Scripts() {}

  /** An executable {@code /bin/sh} script with {@code body}. */
  static Path executable(Path dir, String name, String body) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** The same, without the execute permission. */
  static Path plain(Path dir, String name, String body) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }
}
