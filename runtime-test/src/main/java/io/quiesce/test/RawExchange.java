package io.quiesce.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written byte for byte on a fresh socket, and the head of the first response
 * read back raw: for hostile-input tests that an HTTP client would refuse to send (bad framing,
 * bodies that lie about their length) or would quietly fix.
 */
public final class RawExchange {

  private RawExchange() {}

  /** Sends {@code head} (CRLFs included) and then {@code body}; returns status line and headers of the first answer. */
  public static String send(int port, String head, byte[] body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        s.getOutputStream().write(body);
      }
      s.getOutputStream().flush();
      return readHead(s.getInputStream());
    }
  }

  /** Status line and headers up to the empty line. */
  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      out.write(b);
      String sofar = out.toString(StandardCharsets.ISO_8859_1);
      if (sofar.endsWith("\r\n\r\n")) {
        break;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
