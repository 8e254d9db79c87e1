package io.quiesce.test.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One request a probe loop writes, byte for byte: the probe speaks HTTP/1.1 over its own sockets so
 * that nothing between it and the server retries or hides a loss. Never {@code Connection: close}:
 * the point is keep-alive connections that the drain must end cleanly.
 *
 * @param bytes      the whole request, head and body
 * @param head       {@code true} for a {@code HEAD} request, whose response has no body
 * @param slowMillis how long the route is expected to take (0 if not slow): lets a report tell the
 *                   time the drain had to wait for a slow request from its own cost
 */
public record ProbeRequest(byte[] bytes, boolean head, long slowMillis) {

  public ProbeRequest {
    bytes = bytes.clone();
    if (slowMillis < 0) {
      throw new IllegalArgumentException("slowMillis must be 0 or more, was " + slowMillis);
    }
  }

  /** {@code GET path} with a {@code Host} header. */
  public static ProbeRequest get(String path) {
    return of("GET", path, null);
  }

  /**
   * {@code method path} with a {@code Host} header, the given {@code "Name: value"} headers and,
   * when {@code body} is not {@code null}, the body with its {@code Content-Length}.
   */
  public static ProbeRequest of(String method, String path, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : headers) {
      if (header.toLowerCase(Locale.ROOT).startsWith("connection:")) {
        throw new IllegalArgumentException("a probe request keeps its connection alive; drop \"" + header + "\"");
      }
      head.append(header).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(body);
    }
    return new ProbeRequest(out.toByteArray(), method.equals("HEAD"), 0);
  }

  /** The same request, expected to take {@code millis} on the server. */
  public ProbeRequest slow(long millis) {
    return new ProbeRequest(bytes, head, millis);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] wire() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeRequest r && Arrays.equals(bytes, r.bytes) && head == r.head && slowMillis == r.slowMillis;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + Long.hashCode(slowMillis);
  }

  @Override
  public String toString() {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n");
    return (end < 0 ? text : text.substring(0, end)) + (slowMillis > 0 ? " (slow: " + slowMillis + " ms)" : "");
  }
}
