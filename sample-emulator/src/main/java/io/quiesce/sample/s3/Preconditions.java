package io.quiesce.sample.s3;

import io.quiesce.sample.storage.ObjectStore.StoredObject;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * S3's conditional requests (RFC 9110 §13 as S3 applies them):
 * <ul>
 *   <li>GET/HEAD: {@code If-Match} failing, or (without {@code If-Match}) {@code If-Unmodified-Since}
 *       failing, is 412 {@code PreconditionFailed}; else {@code If-None-Match} matching, or (without
 *       {@code If-None-Match}) {@code If-Modified-Since} not passed, is 304 Not Modified;
 *   <li>CopyObject: the same four as {@code x-amz-copy-source-if-*} against the source, every
 *       failure a 412;
 *   <li>PUT and the destination of a copy: {@code If-None-Match: *} (create only if absent) and
 *       {@code If-Match: etag} (replace only that version), checked atomically with the write; any
 *       other {@code If-None-Match} value is {@code NotImplemented}, as in S3. S3 ignores the date
 *       conditions on a write, and so does this.
 * </ul>
 * A date that cannot be parsed is ignored (RFC 9110 §13.1.3). Dates compare at the second, the
 * precision of {@code Last-Modified}.
 */
final class Preconditions {

  private Preconditions() {}

  /** For GET/HEAD of {@code o}: throws 412, or 304 with the object's ETag and Last-Modified set on {@code r}. */
  static void checkRead(MultiMap h, StoredObject o, HttpServerResponse r, DateTimeFormatter httpDate) {
    String ifMatch = h.get("if-match");
    String ifNoneMatch = h.get("if-none-match");
    if (ifMatch != null ? !matches(ifMatch, o) : notBefore(h.get("if-unmodified-since"), o) == Boolean.FALSE) {
      throw preconditionFailed(ifMatch != null ? "If-Match" : "If-Unmodified-Since");
    }
    if (ifNoneMatch != null ? matches(ifNoneMatch, o) : notBefore(h.get("if-modified-since"), o) == Boolean.TRUE) {
      r.putHeader("ETag", o.etag()).putHeader("Last-Modified", httpDate.format(o.lastModified()));
      throw new S3Error(304, "NotModified", "Not Modified");
    }
  }

  /** For the source of a copy: every failing {@code x-amz-copy-source-if-*} is a 412. */
  static void checkCopySource(MultiMap h, StoredObject o) {
    String ifMatch = h.get("x-amz-copy-source-if-match");
    String ifNoneMatch = h.get("x-amz-copy-source-if-none-match");
    if (ifMatch != null ? !matches(ifMatch, o)
        : notBefore(h.get("x-amz-copy-source-if-unmodified-since"), o) == Boolean.FALSE) {
      throw preconditionFailed(ifMatch != null ? "x-amz-copy-source-If-Match" : "x-amz-copy-source-If-Unmodified-Since");
    }
    if (ifNoneMatch != null ? matches(ifNoneMatch, o)
        : notBefore(h.get("x-amz-copy-source-if-modified-since"), o) == Boolean.TRUE) {
      throw preconditionFailed(ifNoneMatch != null ? "x-amz-copy-source-If-None-Match" : "x-amz-copy-source-If-Modified-Since");
    }
  }

  /**
   * The condition a write must meet, given the object the key names when it commits (null:
   * none); refuses a condition S3 does not support before anything is read.
   */
  static Consumer<StoredObject> forWrite(MultiMap h) {
    String ifNoneMatch = h.get("if-none-match");
    String ifMatch = h.get("if-match");
    if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
      throw S3Error.notImplemented("If-None-Match other than \"*\" on a write");
    }
    return current -> {
      if (ifNoneMatch != null && current != null) {
        throw preconditionFailed("If-None-Match");
      }
      if (ifMatch != null) {
        if (current == null) {
          throw S3Error.noSuchKey();
        }
        if (!matches(ifMatch, current)) {
          throw preconditionFailed("If-Match");
        }
      }
    };
  }

  static S3Error preconditionFailed(String condition) {
    return new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold ("
        + condition + ")");
  }

  /** Whether a list of entity tags ({@code "a", W/"b"} or {@code *}) names the object's. */
  private static boolean matches(String header, StoredObject o) {
    String etag = unquote(o.etag());
    return Arrays.stream(header.split(",")).map(String::strip)
        .anyMatch(t -> t.equals("*") || unquote(t.startsWith("W/") ? t.substring(2) : t).equals(etag));
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  /** Whether the object was last modified at or before {@code date}; null when the header is absent or not a date. */
  private static Boolean notBefore(String date, StoredObject o) {
    if (date == null) {
      return null;
    }
    Instant at;
    try {
      at = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
    return o.lastModified().getEpochSecond() <= at.getEpochSecond();
  }
}
