package io.quiesce.sample.s3;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes the {@code aws-chunked} content encoding that AWS SDKs and the CLI use for uploads with
 * streaming signatures or trailing checksums: {@code hex-size[;chunk-signature=...]\r\n data \r\n}
 * repeated, a zero-size chunk, then trailer lines such as {@code x-amz-checksum-crc32:...} and an
 * empty line. Chunk signatures are not verified (no authentication); trailing checksums are
 * returned so the caller can check them.
 */
record AwsChunkedBody(byte[] content, Map<String, String> trailers) {

  static AwsChunkedBody decode(Buffer raw) {
    byte[] in = raw.getBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    int pos = 0;
    while (true) {
      int eol = lineEnd(in, pos);
      String header = new String(in, pos, eol - pos, StandardCharsets.US_ASCII);
      int semi = header.indexOf(';');
      int size;
      try {
        size = Integer.parseInt((semi < 0 ? header : header.substring(0, semi)).strip(), 16);
      } catch (NumberFormatException e) {
        throw incomplete("a chunk header is not a hex size: \"" + abbreviate(header) + "\"");
      }
      pos = eol + 2;
      if (size == 0) {
        break;
      }
      if (size < 0 || pos + size + 2 > in.length || in[pos + size] != '\r' || in[pos + size + 1] != '\n') {
        throw incomplete("a chunk is shorter than its declared size " + size);
      }
      out.write(in, pos, size);
      pos += size + 2;
    }
    Map<String, String> trailers = new LinkedHashMap<>();
    while (pos < in.length) {
      int eol = lineEnd(in, pos);
      String line = new String(in, pos, eol - pos, StandardCharsets.US_ASCII);
      pos = eol + 2;
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
      }
    }
    return new AwsChunkedBody(out.toByteArray(), trailers);
  }

  private static int lineEnd(byte[] in, int from) {
    for (int i = from; i + 1 < in.length; i++) {
      if (in[i] == '\r' && in[i + 1] == '\n') {
        return i;
      }
    }
    // A final line without CRLF (some clients omit it after the last trailer).
    if (from < in.length) {
      return in.length;
    }
    throw incomplete("the body ends inside a chunk header");
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static S3Error incomplete(String why) {
    return new S3Error(400, "IncompleteBody", "The aws-chunked request body is malformed: " + why);
  }
}
