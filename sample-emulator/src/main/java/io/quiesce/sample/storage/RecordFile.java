package io.quiesce.sample.storage;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

  /**
   * The bytes to write before a body whose length and some header values are not known yet: as
   * long as {@link #encodePadded} will write for any values no longer than those in
   * {@code widest}. JSON allows white space after the object, so a shorter header is padded with
   * spaces and fits the same place; readers of the format see an ordinary header.
   */
  static int reservedLength(String kind, JsonObject widest) {
    return encode(kind, widest, Long.MAX_VALUE).length;
  }

  /** {@link #encode} padded with spaces before its line break to exactly {@code length} bytes. */
  static byte[] encodePadded(String kind, JsonObject header, long bodyLength, int length) {
    byte[] plain = encode(kind, header, bodyLength);
    if (plain.length > length) {
      throw new IllegalStateException("header of " + plain.length + " bytes does not fit its " + length + " reserved");
    }
    byte[] out = java.util.Arrays.copyOf(plain, length);
    java.util.Arrays.fill(out, plain.length - 1, length - 1, (byte) ' ');
    out[length - 1] = '\n';
    return out;
  }

  /** Reads and checks the header of {@code file}, which must be of {@code kind}. */
  static Header read(Path file, String kind) throws IOException, CorruptDataException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch, file, kind);
    }
  }

  /**
   * Reads and checks the header of the open {@code file}: header, body offset and size all come
   * from this one open file, so a rename over its name meanwhile cannot mix two versions.
   */
  static Header read(FileChannel ch, Path file, String kind) throws IOException, CorruptDataException {
    long size = ch.size();
    InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(ch.position(0)));
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
