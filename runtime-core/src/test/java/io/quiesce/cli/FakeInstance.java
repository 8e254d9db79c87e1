package io.quiesce.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * What a background instance looks like from outside, made of real parts: a real process (a
 * shell that prints the runtime's "Ready." line, then becomes {@code sleep}) and an HTTP server
 * in this JVM answering {@code /_quiesce/health/ready} and {@code /_quiesce/health} at the address the line gives.
 */
final class FakeInstance implements AutoCloseable {

  private final HttpServer server;
  private volatile int healthStatus = 200;
  private volatile String healthBody = "{}";

  FakeInstance() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/_quiesce/health/ready", exchange -> answer(exchange, 200, "{\"status\":\"ready\"}"));
    server.createContext("/_quiesce/health", exchange -> answer(exchange, healthStatus, healthBody));
    server.start();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** What {@code /_quiesce/health} answers from now on. */
  void health(int status, String body) {
    this.healthStatus = status;
    this.healthBody = body;
  }

  /** The command {@code start} would launch: logs the Ready line, then waits to be signalled. */
  List<String> command() {
    return List.of("/bin/sh", "-c", "echo 'Ready. fake 1.0 listening on " + url() + " (started in 1 ms)'; exec sleep 600");
  }

  /** A log file next to the state files. */
  static Path log(Path stateDir) {
    return stateDir.resolve("quiesce.log");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
