package io.quiesce.http.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a raw socket, to 127.0.0.1. Nothing is retried or pooled, so a
 * lost request shows up as what it is: {@link #read()} fails with {@link LostRequest} when the
 * connection ends (EOF or reset) before a complete response, instead of hiding it behind a retry
 * as pooled clients do (see docs/DRAIN.md).
 */
public final class RawConnection implements AutoCloseable {

  /** How long any single read may block: far longer than any answer these tests expect. */
  private static final int READ_TIMEOUT_MS = 10_000;

  /** How a connection ended, as the client sees it. */
  public enum Ending {
    /** The server closed it cleanly: a read returned end of stream. */
    EOF,
    /** The server reset it. */
    RESET,
    /** Still open when the wait ran out. */
    STILL_OPEN
  }

  /** A request written and then no complete response: the loss docs/DRAIN.md defines. */
  public static final class LostRequest extends AssertionError {
    LostRequest(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawConnection open(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      return new RawConnection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** True if a connect to {@code port} is refused (nothing listens there); a connect that succeeds is closed at once. */
  public static boolean connectRefused(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }

  /** One GET on a fresh connection, asking the server to close it afterwards. */
  public static RawResponse get(int port, String path) throws IOException {
    try (RawConnection c = open(port)) {
      c.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      return c.read();
    }
  }

  /** Writes a keep-alive GET (no {@code Connection} header: HTTP/1.1 keeps the connection by default). */
  public RawConnection sendGet(String path) throws IOException {
    return write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }

  /** A keep-alive GET and its response. */
  public RawResponse exchange(String path) throws IOException {
    return sendGet(path).read();
  }

  public RawConnection write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.US_ASCII));
  }

  public RawConnection write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /**
   * Reads one complete response (body by {@code Content-Length} or chunked).
   *
   * @throws LostRequest if the connection ends before the response is complete
   */
  public RawResponse read() throws IOException {
    int[] count = {0};
    try {
      String statusLine = readLine(count);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new AssertionError("not an HTTP/1.x status line: " + statusLine);
      }
      int status = Integer.parseInt(parts[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      String line;
      while (!(line = readLine(count)).isEmpty()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      byte[] body;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = readChunked(count);
      } else {
        body = readExactly(Integer.parseInt(headers.getOrDefault("content-length", "0")), count);
      }
      return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new LostRequest("no complete response within " + READ_TIMEOUT_MS + " ms (" + count[0] + " bytes read)");
    } catch (SocketException e) {
      throw new LostRequest("connection " + e.getMessage() + " after " + count[0] + " response bytes");
    }
  }

  /**
   * Waits up to {@code limit} for the server to end the connection, reading (and failing on) any
   * byte that arrives meanwhile: nothing more is expected on it.
   */
  public Ending awaitEnd(Duration limit) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout((int) Math.max(1, limit.toMillis()));
    try {
      int b = in.read();
      if (b != -1) {
        throw new AssertionError("unexpected byte after the response: " + b);
      }
      return Ending.EOF;
    } catch (SocketTimeoutException e) {
      return Ending.STILL_OPEN;
    } catch (SocketException e) {
      return Ending.RESET;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(before);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private byte[] readChunked(int[] count) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int chunks = 0; chunks < 100_000; chunks++) {
      String sizeLine = readLine(count);
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine(count).isEmpty()) {
          // trailers: ignored
        }
        return body.toByteArray();
      }
      body.writeBytes(readExactly(size, count));
      readLine(count);
    }
    throw new AssertionError("more than 100000 chunks");
  }

  private byte[] readExactly(int length, int[] count) throws IOException {
    byte[] data = new byte[length];
    int off = 0;
    while (off < length) {
      int n = in.read(data, off, length - off);
      if (n < 0) {
        throw new LostRequest("EOF after " + count[0] + " response bytes: response cut in the middle of its body");
      }
      off += n;
      count[0] += n;
    }
    return data;
  }

  private String readLine(int[] count) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 65_536; i++) {
      int b = in.read();
      if (b < 0) {
        throw new LostRequest(count[0] == 0
            ? "EOF before the first response byte: the request was lost"
            : "EOF after " + count[0] + " response bytes: response cut in the middle");
      }
      count[0]++;
      if (b == '\n') {
        int len = sb.length();
        return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
      }
      sb.append((char) b);
    }
    throw new AssertionError("response line longer than 64 KiB");
  }
}
