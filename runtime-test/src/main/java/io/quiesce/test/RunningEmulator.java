package io.quiesce.test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/**
 * An emulator a test started, in this JVM ({@link InProcessEmulator}) or as a child process
 * ({@link EmulatorProcess}): the same way to reach it either way, so a test can move between the
 * two without rewriting its requests. Closing it stops it and deletes the data directory the kit
 * made for it.
 */
public interface RunningEmulator extends AutoCloseable {

  /** The port it listens on (the real one: the kit starts it on a free port). */
  int port();

  /** {@code http://127.0.0.1:PORT} ({@code https} with TLS), for clients that take a base URI. */
  URI baseUri();

  /** {@code 127.0.0.1:PORT}, for raw sockets. */
  default InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /**
   * Its data directory: the one given to {@link EmulatorLauncher#dataDir(String, Path)}, or a fresh
   * empty one the kit made and deletes at {@link #close()}.
   */
  Path dataDir();
}
