package io.quiesce.sample.storage;

import java.nio.file.Path;

/**
 * A file in the data directory that the emulator did not write, or that does not read back as it
 * was written. Startup stops with this error and leaves the directory exactly as it found it.
 */
public final class CorruptDataException extends Exception {

  private final Path file;

  public CorruptDataException(Path file, String problem) {
    super(file + ": " + problem + " (nothing in the data directory was changed; move the file away or use another data_dir)");
    this.file = file;
  }

  /** The offending file or directory. */
  public Path file() {
    return file;
  }
}
