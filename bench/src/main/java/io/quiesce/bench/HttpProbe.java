package io.quiesce.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One {@code GET} over a fresh raw socket with {@code Connection: close}: no client library, no
 * pool, no retries, so a probe costs the same against every server and sees exactly what it got.
 */
final class HttpProbe {

  /** Status and body; status -1 when nothing could be connected or read. */
  record Reply(int status, String body) {}

  private HttpProbe() {}

  static Reply get(int port, String path, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMs);
      s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int sp = text.indexOf(' ');
      if (!text.startsWith("HTTP/1.") || sp < 0 || text.length() < sp + 4) {
        return new Reply(-1, text);
      }
      int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
      int bodyAt = text.indexOf("\r\n\r\n");
      return new Reply(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
    } catch (IOException | RuntimeException e) {
      return new Reply(-1, e.toString());
    }
  }

  /**
   * Polls every {@code intervalMs} until a 200, at most {@code attempts} times and for at most
   * {@code attempts × intervalMs} in all (a poll that waits for its answer counts its wait: a port
   * that accepts and never answers must not hold the run for attempts × the read timeout); returns
   * the {@link System#nanoTime()} of the first 200's arrival.
   */
  static long awaitOk(int port, String path, int intervalMs, int attempts) throws InterruptedException {
    long deadline = System.nanoTime() + (long) attempts * intervalMs * 1_000_000L;
    for (int i = 0; i < attempts && System.nanoTime() < deadline; i++) {
      if (get(port, path, 2000).status() == 200) {
        return System.nanoTime();
      }
      Thread.sleep(intervalMs); // a polling interval, bounded in count and time: no event to wait on across processes
    }
    throw new IllegalStateException("no 200 on " + path + " at port " + port + " within " + attempts + " polls of "
        + intervalMs + " ms");
  }
}
