package io.quiesce.sample.s3;

import io.quiesce.sample.storage.ObjectStore;
import io.quiesce.sample.storage.ObjectStore.Content;
import io.quiesce.sample.storage.ObjectStore.Slice;
import io.quiesce.sample.storage.ObjectStore.StoredObject;
import io.quiesce.sample.storage.Storage;
import io.quiesce.sample.storage.StoreException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The S3 REST API, path-style ({@code /bucket/key}): parses a request on the event loop, runs the
 * store operation on a worker thread, answers with S3's headers, XML bodies and error codes.
 * Authentication headers are accepted and not verified.
 */
final class S3Api {

  /** Largest object body accepted in one PUT; multipart upload is not implemented. */
  static final int MAX_OBJECT_BYTES = 64 * 1024 * 1024;

  private static final Logger LOG = LogManager.getLogger(S3Api.class);
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final String META_PREFIX = "x-amz-meta-";
  private static final List<String> STORED_HEADERS =
      List.of("content-type", "content-encoding", "content-disposition", "content-language", "cache-control", "expires");
  private static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of("uploads", "uploadId", "partNumber", "tagging", "acl",
      "policy", "versioning", "cors", "lifecycle", "website", "notification", "encryption", "logging", "replication",
      "versions", "object-lock", "retention", "legal-hold", "torrent", "restore", "select", "accelerate",
      "requestPayment", "ownershipControls", "publicAccessBlock", "intelligent-tiering", "analytics", "metrics",
      "inventory", "attributes", "policyStatus", "session");
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter XML_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Storage storage;
  private final Set<String> reservedBuckets;

  S3Api(Storage storage, Set<String> reservedBuckets) {
    this.storage = storage;
    this.reservedBuckets = Set.copyOf(reservedBuckets);
  }

  private ObjectStore store() {
    return storage.objects();
  }

  /** One parsed request: bucket (null for the service), key (null for a bucket), query. */
  private record Target(String bucket, String key, MultiMap query) {
    String resource() {
      return "/" + (bucket == null ? "" : bucket) + (key == null ? "" : "/" + key);
    }
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
    req.response().putHeader("x-amz-request-id", requestId);
    Target t;
    try {
      t = target(req);
    } catch (S3Error e) {
      fail(req, e, req.path(), requestId);
      return;
    }
    readBody(req)
        .compose(body -> route(req, t, body))
        .onFailure(e -> fail(req, e, t.resource(), requestId));
  }

  private Future<Void> route(HttpServerRequest req, Target t, Buffer body) {
    HttpMethod m = req.method();
    for (String sub : UNSUPPORTED_SUBRESOURCES) {
      if (t.query().contains(sub)) {
        throw S3Error.notImplemented("The ?" + sub + " sub-resource");
      }
    }
    if (t.bucket() == null) {
      if (m == HttpMethod.GET) {
        return listBuckets(req);
      }
    } else if (t.key() == null) {
      if (m == HttpMethod.PUT) {
        return createBucket(req, t);
      } else if (m == HttpMethod.HEAD) {
        return blocking(() -> store().exists(t.bucket())).map(exists -> {
          if (!exists) {
            throw S3Error.noSuchBucket();
          }
          req.response().end();
          return null;
        });
      } else if (m == HttpMethod.DELETE) {
        return blocking(() -> {
          store().deleteBucket(t.bucket());
          return null;
        }).map(v -> {
          req.response().setStatusCode(204).end();
          return null;
        });
      } else if (m == HttpMethod.GET && t.query().contains("location")) {
        return blocking(() -> store().exists(t.bucket())).map(exists -> {
          if (!exists) {
            throw S3Error.noSuchBucket();
          }
          return xml(req, 200, XmlWriter.document("LocationConstraint").finish());
        });
      } else if (m == HttpMethod.GET) {
        return listObjects(req, t);
      } else if (m == HttpMethod.POST && t.query().contains("delete")) {
        return deleteObjects(req, t, body);
      }
    } else {
      if (m == HttpMethod.PUT && req.getHeader("x-amz-copy-source") != null) {
        return copyObject(req, t);
      } else if (m == HttpMethod.PUT) {
        return putObject(req, t, body);
      } else if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
        return getObject(req, t, m == HttpMethod.HEAD);
      } else if (m == HttpMethod.DELETE) {
        return blocking(() -> store().delete(t.bucket(), t.key())).map(deleted -> {
          req.response().setStatusCode(204).end();
          return null;
        });
      }
    }
    throw new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  }

  private Future<Void> listBuckets(HttpServerRequest req) {
    return blocking(() -> store().buckets()).map(buckets -> {
      XmlWriter x = XmlWriter.document("ListAllMyBucketsResult")
          .start("Owner").element("ID", "quiesce").element("DisplayName", "quiesce").end()
          .start("Buckets");
      for (ObjectStore.BucketInfo b : buckets) {
        x.start("Bucket").element("Name", b.name()).element("CreationDate", XML_DATE.format(b.created())).end();
      }
      return xml(req, 200, x.end().finish());
    });
  }

  private Future<Void> createBucket(HttpServerRequest req, Target t) {
    String name = t.bucket();
    // A reserved name is valid for S3 but its path is another route's (GET /health is the
    // runtime's health alias): refused as S3 refuses any name it cannot serve, with its own error.
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..") || IP_ADDRESS.matcher(name).matches()
        || reservedBuckets.contains(name)) {
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    return blocking(() -> store().createBucket(name)).map(b -> {
      req.response().putHeader("Location", "/" + name).end();
      return null;
    });
  }

  private Future<Void> putObject(HttpServerRequest req, Target t, Buffer raw) {
    byte[] body;
    Map<String, String> checksums = new LinkedHashMap<>();
    String contentEncoding = req.getHeader("content-encoding");
    String sha = req.getHeader("x-amz-content-sha256");
    boolean chunked = (contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked"))
        || (sha != null && sha.startsWith("STREAMING-"));
    if (chunked) {
      AwsChunkedBody decoded = AwsChunkedBody.decode(raw);
      body = decoded.content();
      checksums.putAll(decoded.trailers());
      String declared = req.getHeader("x-amz-decoded-content-length");
      if (declared != null && !declared.strip().equals(Long.toString(body.length))) {
        throw new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by x-amz-decoded-content-length ("
            + declared + "); received " + body.length);
      }
    } else {
      body = raw.getBytes();
    }
    req.headers().forEach(h -> {
      if (h.getKey().toLowerCase(Locale.ROOT).startsWith("x-amz-checksum-")) {
        checksums.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
      }
    });
    verifyContentMd5(req.getHeader("content-md5"), body);
    verifyChecksums(checksums, body);
    Map<String, String> headers = storedHeaders(req);
    Map<String, String> metadata = userMetadata(req);
    return blocking(() -> store().put(t.bucket(), t.key(), headers, metadata, body)).map(o -> {
      req.response().putHeader("ETag", o.etag()).end();
      return null;
    });
  }

  private Future<Void> copyObject(HttpServerRequest req, Target t) {
    String source = req.getHeader("x-amz-copy-source");
    int q = source.indexOf('?');
    String path = decodePath(q < 0 ? source : source.substring(0, q));
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    String srcBucket = path.substring(0, slash);
    String srcKey = path.substring(slash + 1);
    boolean replace = "REPLACE".equalsIgnoreCase(req.getHeader("x-amz-metadata-directive"));
    if (!replace && srcBucket.equals(t.bucket()) && srcKey.equals(t.key())) {
      throw new S3Error(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself "
          + "without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    Map<String, String> headers = storedHeaders(req);
    Map<String, String> metadata = userMetadata(req);
    return blocking(() -> {
      if (!store().exists(t.bucket())) {
        throw S3Error.noSuchBucket();
      }
      Content c = store().get(srcBucket, srcKey, size -> new Slice(0, size));
      StoredObject src = c.object();
      return store().put(t.bucket(), t.key(), replace ? headers : src.headers(), replace ? metadata : src.metadata(), c.bytes());
    }).map(o -> xml(req, 200, XmlWriter.document("CopyObjectResult")
        .element("LastModified", XML_DATE.format(o.lastModified())).element("ETag", o.etag()).finish()));
  }

  private Future<Void> getObject(HttpServerRequest req, Target t, boolean head) {
    String range = req.getHeader("range");
    boolean[] partial = {false};
    Future<Content> content = head
        ? blocking(() -> {
          StoredObject o = store().head(t.bucket(), t.key());
          return new Content(o, new Slice(0, o.size()), null);
        })
        : blocking(() -> store().get(t.bucket(), t.key(), size -> {
          Slice s = ByteRange.slice(range, size);
          partial[0] = s != null;
          return s != null ? s : new Slice(0, size);
        }));
    return content.map(c -> {
      StoredObject o = c.object();
      HttpServerResponse r = req.response();
      r.putHeader("ETag", o.etag())
          .putHeader("Last-Modified", HTTP_DATE.format(o.lastModified()))
          .putHeader("Accept-Ranges", "bytes");
      o.headers().forEach(r::putHeader);
      o.metadata().forEach((k, v) -> r.putHeader(META_PREFIX + k, v));
      if (partial[0]) {
        Slice s = c.slice();
        r.setStatusCode(206).putHeader("Content-Range",
            "bytes " + s.start() + "-" + (s.start() + s.length() - 1) + "/" + o.size());
      }
      if (head) {
        r.putHeader("Content-Length", Long.toString(o.size())).end();
      } else {
        r.end(Buffer.buffer(c.bytes()));
      }
      return null;
    });
  }

  private Future<Void> listObjects(HttpServerRequest req, Target t) {
    MultiMap q = t.query();
    String prefix = q.get("prefix") == null ? "" : q.get("prefix");
    String delimiter = q.get("delimiter") == null ? "" : q.get("delimiter");
    int maxKeys = 1000;
    if (q.get("max-keys") != null) {
      try {
        maxKeys = Math.min(1000, Integer.parseInt(q.get("max-keys")));
      } catch (NumberFormatException e) {
        maxKeys = -1;
      }
      if (maxKeys < 0) {
        throw S3Error.invalidArgument("max-keys must be an integer from 0 to 2147483647, was \"" + q.get("max-keys") + "\"");
      }
    }
    boolean url = "url".equals(q.get("encoding-type"));
    if (q.get("encoding-type") != null && !url) {
      throw S3Error.invalidArgument("Invalid Encoding Method specified in Request");
    }
    int max = maxKeys;
    String startAfter = q.get("start-after");
    String token = q.get("continuation-token");
    boolean v2 = "2".equals(q.get("list-type"));
    if (!v2) {
      throw S3Error.notImplemented("ListObjects (version 1); use ListObjectsV2 (list-type=2)");
    }
    return blocking(() -> ObjectListing.page(store(), t.bucket(), prefix, delimiter, max, startAfter, token)).map(page -> {
      XmlWriter x = XmlWriter.document("ListBucketResult")
          .element("Name", t.bucket())
          .element("Prefix", enc(prefix, url))
          .element("Delimiter", delimiter.isEmpty() ? null : enc(delimiter, url))
          .element("MaxKeys", max)
          .element("KeyCount", page.objects().size() + page.commonPrefixes().size())
          .element("IsTruncated", page.truncated())
          .element("ContinuationToken", token)
          .element("NextContinuationToken", page.nextToken())
          .element("StartAfter", startAfter == null ? null : enc(startAfter, url))
          .element("EncodingType", url ? "url" : null);
      for (StoredObject o : page.objects()) {
        x.start("Contents").element("Key", enc(o.key(), url)).element("LastModified", XML_DATE.format(o.lastModified()))
            .element("ETag", o.etag()).element("Size", o.size()).element("StorageClass", "STANDARD").end();
      }
      for (String p : page.commonPrefixes()) {
        x.start("CommonPrefixes").element("Prefix", enc(p, url)).end();
      }
      return xml(req, 200, x.finish());
    });
  }

  private Future<Void> deleteObjects(HttpServerRequest req, Target t, Buffer body) {
    verifyContentMd5(req.getHeader("content-md5"), body.getBytes());
    DeleteObjectsRequest request = DeleteObjectsRequest.parse(body.getBytes());
    return blocking(() -> {
      if (!store().exists(t.bucket())) {
        throw S3Error.noSuchBucket();
      }
      XmlWriter x = XmlWriter.document("DeleteResult");
      for (String key : request.keys()) {
        try {
          store().delete(t.bucket(), key);
          if (!request.quiet()) {
            x.start("Deleted").element("Key", key).end();
          }
        } catch (IOException e) {
          LOG.warn("DeleteObjects could not delete {}/{}: {}", t.bucket(), key, e.toString());
          x.start("Error").element("Key", key).element("Code", "InternalError")
              .element("Message", "We encountered an internal error. Please try again.").end();
        }
      }
      return x.finish();
    }).map(doc -> xml(req, 200, doc));
  }

  private static Map<String, String> storedHeaders(HttpServerRequest req) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : STORED_HEADERS) {
      String v = req.getHeader(name);
      if (name.equals("content-encoding") && v != null) {
        // aws-chunked describes this upload only, not the stored object.
        v = String.join(",", java.util.Arrays.stream(v.split(",")).map(String::strip)
            .filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("aws-chunked")).toList());
      }
      if (v != null && !v.isEmpty()) {
        headers.put(canonical(name), v);
      }
    }
    headers.putIfAbsent("Content-Type", "binary/octet-stream");
    return headers;
  }

  private static Map<String, String> userMetadata(HttpServerRequest req) {
    Map<String, String> meta = new LinkedHashMap<>();
    req.headers().forEach(h -> {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
        meta.put(name.substring(META_PREFIX.length()), h.getValue());
      }
    });
    return meta;
  }

  private static String canonical(String header) {
    StringBuilder b = new StringBuilder(header.length());
    boolean upper = true;
    for (char c : header.toCharArray()) {
      b.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return b.toString();
  }

  private static void verifyContentMd5(String contentMd5, byte[] body) {
    if (contentMd5 == null) {
      return;
    }
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(contentMd5.strip());
    } catch (IllegalArgumentException e) {
      expected = new byte[0];
    }
    if (expected.length != 16) {
      throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
    }
    if (!MessageDigest.isEqual(expected, digest("MD5", body))) {
      throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
  }

  /** Checks the x-amz-checksum-* values the JDK can compute; others (crc64nvme) are accepted unchecked. */
  private static void verifyChecksums(Map<String, String> checksums, byte[] body) {
    checksums.forEach((name, value) -> {
      byte[] actual = switch (name) {
        case "x-amz-checksum-crc32" -> crc(new CRC32(), body);
        case "x-amz-checksum-crc32c" -> crc(new CRC32C(), body);
        case "x-amz-checksum-sha1" -> digest("SHA-1", body);
        case "x-amz-checksum-sha256" -> digest("SHA-256", body);
        default -> null;
      };
      if (actual != null && !Base64.getEncoder().encodeToString(actual).equals(value)) {
        String algorithm = name.substring("x-amz-checksum-".length()).toUpperCase(Locale.ROOT);
        throw new S3Error(400, "BadDigest", "The " + algorithm + " you specified did not match the calculated checksum.");
      }
    });
  }

  private static byte[] crc(Checksum c, byte[] body) {
    c.update(body, 0, body.length);
    long v = c.getValue();
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }

  private static String enc(String s, boolean url) {
    return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20") : s;
  }

  private static Target target(HttpServerRequest req) {
    String path = decodePath(req.path());
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty()) {
      return new Target(null, null, req.params());
    }
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
    return new Target(bucket, key, req.params());
  }

  /** Percent-decodes a path; unlike a query string, '+' stays '+'. */
  private static String decodePath(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Error.invalidArgument("The path is not validly percent-encoded");
    }
  }

  /** The request body, refused past {@link #MAX_OBJECT_BYTES}. */
  private static Future<Buffer> readBody(HttpServerRequest req) {
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
      req.response().writeContinue();
    }
    String length = req.getHeader("content-length");
    if (length != null && length.length() > 10 || length != null && Long.parseLong(length) > MAX_OBJECT_BYTES) {
      return Future.failedFuture(tooLarge());
    }
    Promise<Buffer> done = Promise.promise();
    if (req.isEnded()) {
      done.complete(Buffer.buffer());
      return done.future();
    }
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_OBJECT_BYTES) {
        done.tryFail(tooLarge());
      } else if (!done.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }

  private static S3Error tooLarge() {
    return new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed object size of "
        + MAX_OBJECT_BYTES + " bytes for this emulator (multipart upload is not implemented).");
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return storage.blocking(work);
  }

  private static Void xml(HttpServerRequest req, int status, String doc) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/xml").end(doc);
    return null;
  }

  private static void fail(HttpServerRequest req, Throwable cause, String resource, String requestId) {
    S3Error e;
    if (cause instanceof S3Error s) {
      e = s;
    } else if (cause instanceof StoreException s) {
      e = switch (s.reason()) {
        case NO_SUCH_CONTAINER -> S3Error.noSuchBucket();
        case NO_SUCH_ITEM -> S3Error.noSuchKey();
        case CONTAINER_EXISTS -> S3Error.bucketAlreadyOwnedByYou();
        case CONTAINER_NOT_EMPTY -> S3Error.bucketNotEmpty();
      };
    } else {
      LOG.error("S3 request {} {} failed", req.method(), resource, cause);
      e = new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }
    HttpServerResponse r = req.response();
    if (r.ended() || r.closed()) {
      return;
    }
    r.setStatusCode(e.status());
    if (e.code().equals("EntityTooLarge")) {
      r.putHeader("Connection", "close"); // the rest of the body is not read
    }
    if (req.method() == HttpMethod.HEAD) {
      r.end();
      return;
    }
    r.putHeader("Content-Type", "application/xml").end(XmlWriter.plainDocument("Error")
        .element("Code", e.code()).element("Message", e.getMessage()).element("Resource", resource)
        .element("RequestId", requestId).finish());
  }
}
