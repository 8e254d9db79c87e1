package io.quiesce.sample.s3;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes the {@code aws-chunked} content encoding that AWS SDKs and the CLI use for uploads with
 * streaming signatures or trailing checksums: {@code hex-size[;chunk-signature=...]\r\n data \r\n}
 * repeated, a zero-size chunk, then trailer lines such as {@code x-amz-checksum-crc32:...} and an
 * empty line. Incremental: bytes are fed as they arrive and content is handed on at once, so
 * nothing is buffered but a header line. Chunk signatures are not verified (no authentication);
 * trailing checksums are collected for the caller to check. Not thread-safe.
 */
final class AwsChunkedDecoder {

  /** Longest chunk header or trailer line accepted (a chunk signature is 81 bytes). */
  private static final int MAX_LINE = 4096;
  /** Most trailer bytes accepted in all. */
  private static final int MAX_TRAILERS = 16 * 1024;

  private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

  private final long maxContent;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private State state = State.SIZE;
  private long remaining;
  private long content;
  private int trailerBytes;
  private boolean lastWasCr;

  /** Refuses (400) a body whose chunks add up to more than {@code maxContent}. */
  AwsChunkedDecoder(long maxContent) {
    this.maxContent = maxContent;
  }

  /** Decodes {@code in}, handing each piece of content (a view of {@code in}) to {@code out}. */
  void feed(byte[] in, Consumer<ByteBuffer> out) {
    int pos = 0;
    while (pos < in.length) {
      switch (state) {
        case SIZE, TRAILERS -> {
          int b = in[pos++];
          if (b == '\n' && lastWasCr) {
            String text = new String(line.toByteArray(), 0, line.size() - 1, StandardCharsets.US_ASCII);
            line.reset();
            lastWasCr = false;
            if (state == State.SIZE) {
              startChunk(text);
            } else {
              trailer(text);
            }
          } else {
            if (line.size() >= MAX_LINE) {
              throw malformed("a chunk header or trailer line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
            lastWasCr = b == '\r';
            if (state == State.TRAILERS && ++trailerBytes > MAX_TRAILERS) {
              throw malformed("the trailers are longer than " + MAX_TRAILERS + " bytes");
            }
          }
        }
        case DATA -> {
          int n = (int) Math.min(remaining, in.length - pos);
          out.accept(ByteBuffer.wrap(in, pos, n));
          pos += n;
          remaining -= n;
          if (remaining == 0) {
            state = State.DATA_CR;
          }
        }
        case DATA_CR -> {
          if (in[pos++] != '\r') {
            throw malformed("a chunk is longer than its declared size");
          }
          state = State.DATA_LF;
        }
        case DATA_LF -> {
          if (in[pos++] != '\n') {
            throw malformed("a chunk is longer than its declared size");
          }
          state = State.SIZE;
        }
        case DONE -> pos = in.length; // anything after the final empty line is ignored
      }
    }
  }

  /** Checks that the body ended where it may; the trailers found. */
  Map<String, String> finish() {
    if (state == State.TRAILERS && line.size() > 0) {
      // A final trailer without CRLF (some clients omit it after the last trailer).
      trailer(line.toString(StandardCharsets.US_ASCII));
    }
    if (state != State.TRAILERS && state != State.DONE) {
      throw malformed(state == State.SIZE ? "the body ends inside a chunk header" : "a chunk is shorter than its declared size");
    }
    return trailers;
  }

  /** Content bytes decoded so far. */
  long contentLength() {
    return content;
  }

  private void startChunk(String header) {
    int semi = header.indexOf(';');
    String hex = (semi < 0 ? header : header.substring(0, semi)).strip();
    // At most 15 hex digits: parsed as a long it cannot overflow.
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw malformed("a chunk header is not a hex size: \"" + abbreviate(header) + "\"");
    }
    long size = Long.parseLong(hex, 16);
    if (size == 0) {
      state = State.TRAILERS;
      return;
    }
    content += size;
    if (content > maxContent) {
      throw S3Api.tooLarge(maxContent);
    }
    remaining = size;
    state = State.DATA;
  }

  private void trailer(String text) {
    if (text.isEmpty()) {
      state = State.DONE;
      return;
    }
    int colon = text.indexOf(':');
    if (colon > 0) {
      trailers.put(text.substring(0, colon).strip().toLowerCase(Locale.ROOT), text.substring(colon + 1).strip());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static S3Error malformed(String why) {
    return new S3Error(400, "IncompleteBody", "The aws-chunked request body is malformed: " + why);
  }
}
