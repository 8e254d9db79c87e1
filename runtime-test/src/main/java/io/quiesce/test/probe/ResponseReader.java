package io.quiesce.test.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response off a raw stream, counting every byte, so that a cut response is told
 * from one that never began. Bodies by {@code Content-Length}, chunked, or up to EOF; interim
 * {@code 1xx} responses are skipped.
 */
final class ResponseReader {

  /** A response, or why there was none: {@code error} is {@code null} for a complete one. */
  record Response(int status, boolean close, int bytesRead, String error, String head, boolean reset) {
    Outcome outcome() {
      if (error != null) {
        if (error.equals(TIMEOUT)) {
          return Outcome.LOST_TIMEOUT;
        }
        if (bytesRead > 0) {
          return Outcome.LOST_PARTIAL;
        }
        return reset ? Outcome.LOST_RESET : Outcome.LOST_NO_RESPONSE;
      }
      if (status >= 200 && status < 300) {
        return Outcome.OK;
      }
      return status == 503 ? Outcome.REFUSED_503 : Outcome.OTHER_STATUS;
    }
  }

  static final String TIMEOUT = "timeout";

  private final InputStream in;
  private int count;
  private final StringBuilder head = new StringBuilder();

  private ResponseReader(InputStream in) {
    this.in = in;
  }

  static Response read(InputStream in, boolean headRequest) {
    return new ResponseReader(in).response(headRequest);
  }

  private Response response(boolean headRequest) {
    try {
      int status;
      long length;
      boolean close;
      boolean chunked;
      do {
        head.setLength(0);
        String statusLine = line();
        head.append(statusLine);
        status = Integer.parseInt(statusLine.split(" ")[1]);
        length = -1;
        close = false;
        chunked = false;
        String header;
        while (!(header = line()).isEmpty()) {
          head.append("; ").append(header);
          String lower = header.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            length = Long.parseLong(lower.substring(15).trim());
          } else if (lower.startsWith("connection:") && lower.contains("close")) {
            close = true;
          } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
            chunked = true;
          }
        }
      } while (status >= 100 && status < 200);
      if (headRequest || status == 204 || status == 304) {
        return new Response(status, close, count, null, head.toString(), false);
      }
      if (chunked) {
        long size;
        while ((size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0) {
          skip(size);
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
      } else if (length >= 0) {
        skip(length);
      } else {
        while (in.read() >= 0) {
          count++;
        }
        close = true;
      }
      return new Response(status, close, count, null, head.toString(), false);
    } catch (SocketTimeoutException e) {
      return new Response(0, true, count, TIMEOUT, head.toString(), false);
    } catch (IOException | RuntimeException e) {
      return new Response(0, true, count, e.toString(), head.toString(), isReset(e));
    }
  }

  // The JDK says "Connection reset" (or "... by peer") for a TCP RST; a FIN is an EOF instead.
  private static boolean isReset(Exception e) {
    return e instanceof SocketException && e.getMessage() != null && e.getMessage().contains("reset");
  }

  private void skip(long n) throws IOException {
    for (long i = 0; i < n; i++) {
      if (in.read() < 0) {
        throw new EOFException("after " + count + " bytes");
      }
      count++;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("after " + count + " bytes");
      }
      count++;
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
  }
}
