package io.quiesce.sample.s3;

import io.quiesce.sample.storage.ObjectStore.Slice;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range: bytes=...} request header: {@code a-b}, {@code a-} or {@code -n} (the last n
 * bytes). As S3 does, a header it cannot parse (or several ranges) is ignored and the whole object
 * returned; a range that starts beyond the end, or any range of an empty object, is refused with
 * 416 {@code InvalidRange}.
 */
final class ByteRange {

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private ByteRange() {}

  /** The slice of an object of {@code size} bytes that {@code header} asks for; null: the whole object, status 200. */
  static Slice slice(String header, long size) {
    Matcher m = header == null ? null : SINGLE.matcher(header.strip());
    if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    if (size == 0) {
      throw invalid(size); // no byte of an empty object can be asked for (S3 answers the same)
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0) {
          throw invalid(size);
        }
        long n = Math.min(suffix, size);
        return new Slice(size - n, n);
      }
      long start = Long.parseLong(m.group(1));
      long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (start >= size) {
        throw invalid(size);
      }
      if (end < start) {
        return null;
      }
      return new Slice(start, end - start + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3Error invalid(long size) {
    return new S3Error(416, "InvalidRange", "The requested range is not satisfiable (object size " + size + ")");
  }
}
