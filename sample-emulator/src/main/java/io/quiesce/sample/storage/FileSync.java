package io.quiesce.sample.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How storage makes what it wrote durable: every fsync of a file or a directory goes through one of
 * these, so a test can see each one (and its order relative to the answer) or make it fail. A
 * failing force fails the write it belongs to: nothing is acknowledged that was not forced.
 */
@FunctionalInterface
public interface FileSync {

  /** The real thing: {@link FileChannel#force(boolean) force(true)}. */
  FileSync FSYNC = (channel, path) -> channel.force(true);

  /** Makes {@code channel}'s content (a file, or the entries of a directory) durable. */
  void force(FileChannel channel, Path path) throws IOException;
}
