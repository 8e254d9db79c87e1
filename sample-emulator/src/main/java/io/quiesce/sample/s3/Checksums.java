package io.quiesce.sample.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The {@code x-amz-checksum-*} values of one upload, computed while its bytes stream by: those the
 * request names in a header (with its value) or announces in {@code x-amz-trailer} (value in the
 * trailers). Of the algorithms, those the JDK has are checked; others (crc64nvme) are accepted
 * unchecked. Not thread-safe.
 */
final class Checksums {

  static final String PREFIX = "x-amz-checksum-";

  private final Map<String, String> expected = new LinkedHashMap<>();
  private final Map<String, Checksum> crcs = new LinkedHashMap<>();
  private final Map<String, MessageDigest> digests = new LinkedHashMap<>();

  /** @param headers the request's {@code x-amz-checksum-*} headers, lower-case names; @param trailer {@code x-amz-trailer} or null */
  Checksums(Map<String, String> headers, String trailer) {
    expected.putAll(headers);
    for (String name : expected.keySet()) {
      track(name);
    }
    if (trailer != null) {
      for (String name : trailer.split(",")) {
        track(name.strip().toLowerCase(Locale.ROOT));
      }
    }
  }

  private void track(String name) {
    switch (name) {
      case PREFIX + "crc32" -> crcs.putIfAbsent(name, new CRC32());
      case PREFIX + "crc32c" -> crcs.putIfAbsent(name, new CRC32C());
      case PREFIX + "sha1" -> digests.putIfAbsent(name, digest("SHA-1"));
      case PREFIX + "sha256" -> digests.putIfAbsent(name, digest("SHA-256"));
      default -> { } // not computable here: accepted unchecked
    }
  }

  void update(ByteBuffer bytes) {
    crcs.values().forEach(c -> c.update(bytes.duplicate()));
    digests.values().forEach(d -> d.update(bytes.duplicate()));
  }

  /**
   * Checks every value given, in headers or in {@code trailers}; 400 BadDigest on a mismatch.
   * Returns them (lower-case names), to be stored with the object and returned as S3 does; a value
   * that is not base64 of a plausible length is 400 InvalidRequest.
   */
  Map<String, String> verify(Map<String, String> trailers) {
    Map<String, String> all = new LinkedHashMap<>(expected);
    trailers.forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        all.put(k, v);
      }
    });
    all.forEach((name, value) -> {
      byte[] actual = null;
      if (crcs.containsKey(name)) {
        long v = crcs.get(name).getValue();
        actual = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
      } else if (digests.containsKey(name)) {
        actual = digests.get(name).digest();
      }
      if (actual != null && !Base64.getEncoder().encodeToString(actual).equals(value)) {
        String algorithm = name.substring(PREFIX.length()).toUpperCase(Locale.ROOT);
        throw new S3Error(400, "BadDigest", "The " + algorithm + " you specified did not match the calculated checksum.");
      }
    });
    Map<String, String> kept = new LinkedHashMap<>();
    all.forEach((name, value) -> {
      if (io.quiesce.sample.storage.ObjectStore.CHECKSUM_HEADERS.contains(name)) {
        if (value.length() > io.quiesce.sample.storage.ObjectStore.MAX_CHECKSUM_CHARS || !value.matches("[A-Za-z0-9+/]+={0,2}")) {
          throw new S3Error(400, "InvalidRequest", "Value for " + name + " header is invalid.");
        }
        kept.put(name, value);
      }
    });
    return kept;
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }
}
