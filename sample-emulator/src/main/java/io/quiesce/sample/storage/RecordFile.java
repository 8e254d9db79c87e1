package io.quiesce.sample.storage;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one file format of the data directory: a magic line naming the kind of record, one line of
 * JSON header, then an optional body of exactly {@code header.body_length} bytes.
 *
 * <pre>
 * quiesce-sample-emulator/1 object
 * {"key":"a/b.txt","body_length":5,...}
 * hello
 * </pre>
 *
 * A file that does not start with the magic line is foreign; one whose header or length is wrong is
 * corrupt. Either way reading it fails with {@link CorruptDataException} naming it.
 */
final class RecordFile {

  static final String MAGIC = "quiesce-sample-emulator/1 ";
  private static final int MAX_HEADER_BYTES = 1 << 20;

  /** What {@link #read} found: the header and where the body starts. */
  record Header(JsonObject json, long bodyOffset, long bodyLength) {}

  private RecordFile() {}

  /** The bytes to write before the body. */
  static byte[] encode(String kind, JsonObject header, long bodyLength) {
    JsonObject h = header.copy().put("body_length", bodyLength);
    return (MAGIC + kind + "\n" + h.encode() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Reads and checks the header of {@code file}, which must be of {@code kind}. */
  static Header read(Path file, String kind) throws IOException, CorruptDataException {
    long size = Files.size(file);
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      String magic = readLine(in, file, 200);
      if (magic == null || !magic.startsWith(MAGIC)) {
        throw new CorruptDataException(file, "not a file of this emulator (it does not start with \"" + MAGIC.strip() + "\")");
      }
      if (!magic.equals(MAGIC + kind)) {
        throw new CorruptDataException(file, "expected a " + kind + " record, found \"" + magic + "\"");
      }
      String json = readLine(in, file, MAX_HEADER_BYTES);
      if (json == null) {
        throw new CorruptDataException(file, "truncated: the header line is missing");
      }
      JsonObject header;
      try {
        header = new JsonObject(json);
      } catch (DecodeException | ClassCastException e) {
        throw new CorruptDataException(file, "the header is not a JSON object");
      }
      Object length = header.getValue("body_length");
      if (!(length instanceof Number n) || n.longValue() < 0) {
        throw new CorruptDataException(file, "the header has no valid body_length");
      }
      long offset = magic.getBytes(StandardCharsets.UTF_8).length + 1 + json.getBytes(StandardCharsets.UTF_8).length + 1;
      if (offset + n.longValue() != size) {
        throw new CorruptDataException(file, "the body is " + (size - offset) + " bytes, the header says " + n.longValue());
      }
      return new Header(header, offset, n.longValue());
    }
  }

  private static String readLine(InputStream in, Path file, int limit) throws IOException, CorruptDataException {
    byte[] buf = new byte[Math.min(limit, 4096)];
    int len = 0;
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (len == limit) {
        throw new CorruptDataException(file, "not a file of this emulator (no line break in the first " + limit + " bytes)");
      }
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
      }
      buf[len++] = (byte) b;
    }
    return b == -1 ? null : new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
