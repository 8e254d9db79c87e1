package io.quiesce.events.nats;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code nats-server} (Debian package nats-server; {@code .ci/run} installs it) on a free
 * port of 127.0.0.1, for tests. {@link #close()} kills it.
 */
public final class NatsServer implements AutoCloseable {

  private final Process process;
  private final int port;

  private NatsServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static NatsServer start() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return start(port);
  }

  /** Starts one on {@code port}, e.g. again where a server stopped to end an outage. */
  public static NatsServer start(int port) throws IOException {
    String binary = List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server").stream()
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
        .orElseThrow(() -> new IllegalStateException("nats-server not found: apt-get install -y nats-server"));
    Process p = new ProcessBuilder(binary, "-a", "127.0.0.1", "-p", Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    NatsServer server = new NatsServer(p, port);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(server::accepts);
    return server;
  }

  private boolean accepts() {
    if (!process.isAlive()) {
      throw new IllegalStateException("nats-server exited with " + process.exitValue());
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
