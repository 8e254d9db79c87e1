package io.quiesce.sample.s3;

import io.quiesce.sample.EarlyAnswer;
import io.quiesce.sample.storage.ObjectStore.OpenObject;
import io.quiesce.sample.storage.ObjectStore.Slice;
import io.quiesce.sample.storage.ObjectStore.StoredObject;
import io.quiesce.sample.storage.ObjectStore;
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
import java.net.URLEncoder;
import java.nio.ByteBuffer;
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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The S3 REST API, path-style ({@code /bucket/key}): parses a request on the event loop, runs the
 * store operation on a worker thread, answers with S3's headers, XML bodies and error codes.
 * Authentication headers are accepted and not verified.
 */
final class S3Api {

  /** Largest object body accepted in one PUT (larger objects are uploaded in parts). */
  static final int MAX_OBJECT_BYTES = 64 * 1024 * 1024;
  /** S3's limits on a part: at most 5 GiB; at least 5 MiB unless it is the last. */
  static final long MAX_PART_BYTES = 5L * 1024 * 1024 * 1024;
  static final long MIN_PART_BYTES = 5L * 1024 * 1024;
  /** S3's limit on a key, in bytes of UTF-8. */
  static final int MAX_KEY_BYTES = 1024;
  /** Objects up to this size are read whole and checked against their ETag before anything is sent. */
  static final int VERIFY_BEFORE_SEND = 1024 * 1024;
  /** Bytes read from a file per step when streaming or copying an object. */
  static final int STREAM_CHUNK = 64 * 1024;

  private static final Logger LOG = LogManager.getLogger(S3Api.class);
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
  private static final String META_PREFIX = "x-amz-meta-";
  private static final List<String> STORED_HEADERS =
      List.of("content-type", "content-encoding", "content-disposition", "content-language", "cache-control", "expires");
  private static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of("tagging", "acl",
      "policy", "versioning", "cors", "lifecycle", "website", "notification", "encryption", "logging", "replication",
      "versions", "object-lock", "retention", "legal-hold", "torrent", "restore", "select", "accelerate",
      "requestPayment", "ownershipControls", "publicAccessBlock", "intelligent-tiering", "analytics", "metrics",
      "inventory", "attributes", "policyStatus", "session");
  /** Error codes whose {@code <Error>} names the bucket, as S3's do. */
  private static final Set<String> BUCKET_ERRORS = Set.of("NoSuchBucket", "BucketNotEmpty", "BucketAlreadyOwnedByYou",
      "BucketAlreadyExists", "InvalidBucketName", "IllegalLocationConstraintException");
  private static final Pattern CREDENTIAL_REGION = Pattern.compile("Credential=[^/,]*/\\d{8}/([^/,]+)/");
  private static final Pattern LOCATION = Pattern.compile(
      "<LocationConstraint>\\s*([^<]*?)\\s*</LocationConstraint>");
  /** Largest CreateBucket configuration read. */
  static final int MAX_BUCKET_CONFIGURATION_BYTES = 64 * 1024;
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

  /**
   * One parsed request: bucket (null for the service), key (null for a bucket), query, and the
   * headers with a presigned URL's {@code x-amz-*} query parameters among them.
   */
  private record Target(String bucket, String key, MultiMap query, MultiMap headers) {
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
      checkFraming(req);
      t = target(req);
    } catch (S3Error e) {
      fail(req, e, req.path(), null, null, requestId);
      return;
    }
    req.pause(); // until the operation knows what to do with the body
    Future<Void> answered;
    try {
      answered = route(req, t);
    } catch (RuntimeException e) {
      answered = Future.failedFuture(e);
    }
    answered.onFailure(e -> fail(req, e, t.resource(), t.bucket(), t.key(), requestId));
  }

  /** Answers the request; an operation that has no use for a body reads (and drops) it first. */
  private Future<Void> route(HttpServerRequest req, Target t) {
    return switch (operation(req, t)) {
      case PUT_OBJECT -> putObject(req, t);
      case DELETE_OBJECTS -> {
        int cap = DeleteObjectsRequest.MAX_BODY_BYTES;
        if (!storage.budget().tryReserve(cap)) {
          throw slowDown();
        }
        yield readSmallBody(req, cap).compose(body -> deleteObjects(req, t, body))
            .eventually(() -> {
              storage.budget().release(cap);
              return Future.succeededFuture();
            });
      }
      case UPLOAD_PART -> uploadPart(req, t);
      case COMPLETE_MULTIPART -> {
        int cap = CompleteMultipartRequest.MAX_BODY_BYTES;
        if (!storage.budget().tryReserve(cap)) {
          throw slowDown();
        }
        yield readSmallBody(req, cap).compose(body -> completeMultipart(req, t, body))
            .eventually(() -> {
              storage.budget().release(cap);
              return Future.succeededFuture();
            });
      }
      case CREATE_BUCKET -> {
        int cap = MAX_BUCKET_CONFIGURATION_BYTES;
        if (!storage.budget().tryReserve(cap)) {
          throw slowDown();
        }
        yield readSmallBody(req, cap).compose(body -> createBucket(req, t, body.toString(StandardCharsets.UTF_8)))
            .eventually(() -> {
              storage.budget().release(cap);
              return Future.succeededFuture();
            });
      }
      case OTHER -> discardBody(req).compose(v -> routeBodiless(req, t));
    };
  }

  private enum Operation { PUT_OBJECT, UPLOAD_PART, COMPLETE_MULTIPART, DELETE_OBJECTS, CREATE_BUCKET, OTHER }

  private static Operation operation(HttpServerRequest req, Target t) {
    if (UNSUPPORTED_SUBRESOURCES.stream().anyMatch(t.query()::contains) || t.query().contains("versionId")) {
      return Operation.OTHER;
    }
    boolean ofUpload = t.query().contains("uploadId") || t.query().contains("partNumber");
    if (t.bucket() != null && t.key() != null && req.method() == HttpMethod.PUT && req.getHeader("x-amz-copy-source") == null) {
      return ofUpload ? Operation.UPLOAD_PART : Operation.PUT_OBJECT;
    }
    if (t.bucket() != null && t.key() != null && req.method() == HttpMethod.POST && t.query().contains("uploadId")) {
      return Operation.COMPLETE_MULTIPART;
    }
    if (t.bucket() != null && t.key() == null && req.method() == HttpMethod.POST && t.query().contains("delete")) {
      return Operation.DELETE_OBJECTS;
    }
    if (t.bucket() != null && t.key() == null && req.method() == HttpMethod.PUT) {
      return Operation.CREATE_BUCKET;
    }
    return Operation.OTHER;
  }

  private Future<Void> routeBodiless(HttpServerRequest req, Target t) {
    HttpMethod m = req.method();
    for (String sub : UNSUPPORTED_SUBRESOURCES) {
      if (t.query().contains(sub)) {
        throw S3Error.notImplemented("The ?" + sub + " sub-resource");
      }
    }
    if (t.query().contains("versionId")) {
      // Without versioning every object has one version; answering it for any versionId would be silently wrong.
      throw S3Error.notImplemented("Addressing an object version (versionId; bucket versioning)");
    }
    if (t.bucket() == null) {
      if (m == HttpMethod.GET) {
        return listBuckets(req, t);
      }
    } else if (t.key() == null) {
      if (m == HttpMethod.HEAD) {
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
        // S3 answers an empty constraint for us-east-1.
        return blocking(() -> store().bucketInfo(t.bucket())).map(b -> xml(req, 200, XmlWriter.document("LocationConstraint")
            .text(b.region().equals(ObjectStore.DEFAULT_REGION) ? "" : b.region()).finish()));
      } else if (m == HttpMethod.GET && t.query().contains("uploads")) {
        return listMultipartUploads(req, t);
      } else if (m == HttpMethod.GET) {
        return listObjects(req, t);
      }
    } else if (t.query().contains("uploads") && m == HttpMethod.POST) {
      return createMultipart(req, t);
    } else if (t.query().contains("uploadId")) {
      if (m == HttpMethod.PUT && req.getHeader("x-amz-copy-source") != null) {
        return uploadPartCopy(req, t);
      } else if (m == HttpMethod.DELETE) {
        return blocking(() -> {
          store().abort(t.bucket(), t.query().get("uploadId"));
          return null;
        }).map(v -> {
          req.response().setStatusCode(204).end();
          return null;
        });
      } else if (m == HttpMethod.GET) {
        return listParts(req, t);
      }
    } else if (t.query().contains("partNumber")) {
      throw S3Error.notImplemented("partNumber on " + m + " of an object");
    } else {
      if (m == HttpMethod.PUT && req.getHeader("x-amz-copy-source") != null) {
        return copyObject(req, t);
      } else if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
        return getObject(req, t, m == HttpMethod.HEAD);
      } else if (m == HttpMethod.DELETE) {
        return blocking(() -> store().delete(t.bucket(), t.key())).map(deleted -> {
          req.response().setStatusCode(204).end();
          return null;
        });
      }
    }
    // What S3 answers on these routes (POST object forms, OPTIONS for CORS, ...) is not here.
    throw S3Error.notImplemented(m + " on " + (t.bucket() == null ? "the service" : t.key() == null ? "a bucket" : "an object"));
  }

  /**
   * ListBuckets with {@code prefix}, {@code bucket-region}, {@code max-buckets} (1 to 10000) and
   * {@code continuation-token} (the last name of the previous page, base64url).
   */
  private Future<Void> listBuckets(HttpServerRequest req, Target t) {
    String prefix = t.query().get("prefix") == null ? "" : t.query().get("prefix");
    String region = t.query().get("bucket-region");
    int max = intParam(t, "max-buckets", 10_000, 10_000);
    if (t.query().get("max-buckets") != null && max < 1) {
      throw S3Error.invalidArgument("max-buckets must be an integer from 1 to 10000");
    }
    String token = t.query().get("continuation-token");
    String after;
    try {
      after = token == null ? null : new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Error.invalidArgument("The continuation token provided is incorrect");
    }
    return blocking(() -> store().buckets()).map(buckets -> {
      List<ObjectStore.BucketInfo> matching = buckets.stream()
          .filter(b -> b.name().startsWith(prefix) && (region == null || b.region().equals(region))
              && (after == null || b.name().compareTo(after) > 0))
          .toList();
      List<ObjectStore.BucketInfo> page = matching.subList(0, Math.min(max, matching.size()));
      XmlWriter x = XmlWriter.document("ListAllMyBucketsResult")
          .start("Owner").element("ID", "quiesce").element("DisplayName", "quiesce").end()
          .start("Buckets");
      for (ObjectStore.BucketInfo b : page) {
        x.start("Bucket").element("Name", b.name()).element("CreationDate", XML_DATE.format(b.created()))
            .element("BucketRegion", b.region()).end();
      }
      x.end().element("Prefix", t.query().get("prefix"));
      if (matching.size() > page.size()) {
        x.element("ContinuationToken", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(page.get(page.size() - 1).name().getBytes(StandardCharsets.UTF_8)));
      }
      return xml(req, 200, x.finish());
    });
  }

  /**
   * The bucket is located in its {@code LocationConstraint}. As S3 does, that must be the region
   * the request was signed for (when it was signed: the emulator has no endpoint of its own per
   * region), {@code us-east-1} is never given as a constraint, and a request signed for another
   * region must give one. Creating a bucket you own again is 200 in us-east-1 and 409
   * {@code BucketAlreadyOwnedByYou} elsewhere.
   */
  private Future<Void> createBucket(HttpServerRequest req, Target t, String configuration) {
    String name = t.bucket();
    // A reserved name is valid for S3 but its path is another route's (GET /health is the
    // runtime's health alias): refused as S3 refuses any name it cannot serve, with its own error.
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..") || IP_ADDRESS.matcher(name).matches()
        || reservedBuckets.contains(name)) {
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
    String constraint = null;
    if (!configuration.isBlank()) {
      if (!configuration.contains("CreateBucketConfiguration")) {
        throw new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
            + "our published schema");
      }
      java.util.regex.Matcher m = LOCATION.matcher(configuration);
      constraint = m.find() && !m.group(1).isEmpty() ? m.group(1) : null;
    }
    String signed = signingRegion(req);
    if (ObjectStore.DEFAULT_REGION.equals(constraint)) {
      throw new S3Error(400, "InvalidLocationConstraint", "The specified location-constraint is not valid");
    }
    if (constraint != null && !constraint.matches("[a-z]{2}(-[a-z]+)+-\\d|EU")) {
      throw new S3Error(400, "InvalidLocationConstraint", "The specified location-constraint is not valid");
    }
    String region = constraint == null ? ObjectStore.DEFAULT_REGION : constraint.equals("EU") ? "eu-west-1" : constraint;
    if (signed != null && !signed.equals(region)) {
      throw new S3Error(400, "IllegalLocationConstraintException", constraint == null
          ? "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
          : "The " + constraint + " location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
    ObjectOptions.refuseBucketOptions(t.headers());
    return blocking(() -> {
      try {
        return store().createBucket(name, region);
      } catch (StoreException e) {
        if (e.reason() == StoreException.Reason.CONTAINER_EXISTS && region.equals(ObjectStore.DEFAULT_REGION)
            && store().bucketInfo(name).region().equals(region)) {
          return null; // S3 in us-east-1: your own bucket again is a success that changes nothing
        }
        throw e;
      }
    }).map(b -> {
      req.response().putHeader("Location", "/" + name).end();
      return null;
    });
  }

  /**
   * Streams the body to a temp file (see {@link UploadPipe}); what can be refused without reading
   * it (size, digest syntax, no bucket, no memory) is refused before {@code 100 Continue}.
   */
  private Future<Void> putObject(HttpServerRequest req, Target t) {
    checkKey(t.key());
    Map<String, String> headers = storedHeaders(req, t.headers());
    Map<String, String> metadata = userMetadata(t.headers());
    java.util.function.Consumer<StoredObject> condition = Preconditions.forWrite(t.headers());
    return receive(req, MAX_OBJECT_BYTES, () -> {
      condition.accept(currentOrNull(t.bucket(), t.key())); // refused before the body is read; checked again at commit
      return store().beginPut(t.bucket(), t.key(), headers, metadata);
    }, upload -> upload.commit(condition)).map(o -> {
      checksumHeaders(req.response(), o);
      req.response().putHeader("ETag", o.etag()).putHeader(ObjectOptions.SSE, "AES256").end();
      return null;
    });
  }

  private Future<Void> createMultipart(HttpServerRequest req, Target t) {
    checkKey(t.key());
    Map<String, String> headers = storedHeaders(req, t.headers());
    Map<String, String> metadata = userMetadata(t.headers());
    return blocking(() -> store().createMultipart(t.bucket(), t.key(), headers, metadata)).map(u -> {
      req.response().putHeader(ObjectOptions.SSE, "AES256");
      return xml(req, 200, XmlWriter.document("InitiateMultipartUploadResult")
          .element("Bucket", t.bucket()).element("Key", t.key()).element("UploadId", u.uploadId()).finish());
    });
  }

  /** The part number S3 accepts: an integer from 1 to 10000. */
  private static int partNumber(Target t) {
    String n = t.query().get("partNumber");
    if (n == null || !n.matches("\\d{1,5}") || Integer.parseInt(n) < 1 || Integer.parseInt(n) > 10_000) {
      throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
    }
    if (t.query().get("uploadId") == null) {
      throw S3Error.invalidArgument("An uploadId must be given with partNumber");
    }
    return Integer.parseInt(n);
  }

  /** Streams a part to its own file in the upload's directory; acknowledged once durable. */
  private Future<Void> uploadPart(HttpServerRequest req, Target t) {
    int number = partNumber(t);
    ObjectOptions.refuseReadOptions(t.headers()); // SSE-C keys for a part
    String uploadId = t.query().get("uploadId");
    return receive(req, MAX_PART_BYTES, () -> store().beginPart(t.bucket(), uploadId, number), ObjectStore.Upload::commit)
        .map(o -> {
          req.response().putHeader("ETag", o.etag()).putHeader(ObjectOptions.SSE, "AES256").end();
          return null;
        });
  }

  /** A part copied from (a range of) an existing object, through a small buffer on a worker thread. */
  private Future<Void> uploadPartCopy(HttpServerRequest req, Target t) {
    int number = partNumber(t);
    String[] source = copySource(req);
    String uploadId = t.query().get("uploadId");
    String rangeHeader = req.getHeader("x-amz-copy-source-range");
    ObjectOptions.refuseReadOptions(t.headers());
    return blocking(() -> {
      try (OpenObject src = store().open(source[0], source[1])) {
        Preconditions.checkCopySource(t.headers(), src.object());
        Slice slice = new Slice(0, src.object().size());
        if (rangeHeader != null) {
          java.util.regex.Matcher m = Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})").matcher(rangeHeader.strip());
          if (!m.matches() || Long.parseLong(m.group(2)) < Long.parseLong(m.group(1))
              || Long.parseLong(m.group(2)) >= src.object().size()) {
            throw S3Error.invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where "
                + "first and last are the zero-based offsets of the first and last bytes to copy");
          }
          slice = new Slice(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1);
        }
        if (slice.length() > MAX_PART_BYTES) {
          throw tooLarge(MAX_PART_BYTES);
        }
        try (ObjectStore.Upload part = store().beginPart(t.bucket(), uploadId, number)) {
          ByteBuffer buf = ByteBuffer.allocate(STREAM_CHUNK);
          for (long pos = slice.start(), end = slice.start() + slice.length(); pos < end; ) {
            buf.clear().limit((int) Math.min(STREAM_CHUNK, end - pos));
            pos += src.read(pos, buf);
            buf.flip();
            part.write(buf);
          }
          return part.commit();
        }
      }
    }).map(o -> xml(req, 200, XmlWriter.document("CopyPartResult")
        .element("LastModified", XML_DATE.format(o.lastModified())).element("ETag", o.etag()).finish()));
  }

  /**
   * Completes an upload with the parts the document lists, which must be in ascending order
   * ({@code InvalidPartOrder}), each acknowledged with the ETag given ({@code InvalidPart}), each
   * but the last at least 5 MiB ({@code EntityTooSmall}). The object's ETag is S3's: the MD5 of
   * the parts' MD5s, a dash, the number of parts.
   */
  private Future<Void> completeMultipart(HttpServerRequest req, Target t, Buffer body) {
    String uploadId = t.query().get("uploadId");
    java.util.function.Consumer<StoredObject> condition = Preconditions.forWrite(t.headers());
    return blocking(() -> {
      CompleteMultipartRequest request = CompleteMultipartRequest.parse(body.getBytes());
      return store().complete(t.bucket(), uploadId, parts -> {
        Map<Integer, ObjectStore.PartInfo> byNumber = new java.util.HashMap<>();
        parts.forEach(p -> byNumber.put(p.number(), p));
        List<Integer> chosen = new ArrayList<>();
        int previous = 0;
        for (CompleteMultipartRequest.Part p : request.parts()) {
          if (p.number() <= previous) {
            throw new S3Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list "
                + "must be specified in order by part number.");
          }
          previous = p.number();
          ObjectStore.PartInfo have = byNumber.get(p.number());
          if (have == null || !unquote(have.etag()).equals(unquote(p.etag()))) {
            throw new S3Error(400, "InvalidPart", "One or more of the specified parts could not be found. The part may "
                + "not have been uploaded, or the specified entity tag may not match the part's entity tag (part "
                + p.number() + ").");
          }
          chosen.add(p.number());
        }
        for (int i = 0; i < chosen.size() - 1; i++) {
          if (byNumber.get(chosen.get(i)).size() < MIN_PART_BYTES) {
            throw new S3Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size "
                + "(part " + chosen.get(i) + " is below 5 MiB and is not the last part).");
          }
        }
        return chosen;
      }, chosen -> {
        MessageDigest md5s = Checksums.digest("MD5");
        chosen.forEach(p -> md5s.update(java.util.HexFormat.of().parseHex(unquote(p.etag()))));
        return "\"" + java.util.HexFormat.of().formatHex(md5s.digest()) + "-" + chosen.size() + "\"";
      }, condition);
    }).map(o -> {
      req.response().putHeader(ObjectOptions.SSE, "AES256");
      return xml(req, 200, XmlWriter.document("CompleteMultipartUploadResult")
          .element("Location", "/" + t.bucket() + "/" + t.key()).element("Bucket", t.bucket()).element("Key", t.key())
          .element("ETag", o.etag()).finish());
    });
  }

  private Future<Void> listParts(HttpServerRequest req, Target t) {
    int max = intParam(t, "max-parts", 1000, 1000);
    int marker = intParam(t, "part-number-marker", 0, Integer.MAX_VALUE);
    return blocking(() -> store().parts(t.bucket(), t.query().get("uploadId"))).map(e -> {
      if (!e.getKey().key().equals(t.key())) {
        throw new S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist for this key.");
      }
      List<ObjectStore.PartInfo> after = e.getValue().stream().filter(p -> p.number() > marker).toList();
      List<ObjectStore.PartInfo> page = after.subList(0, Math.min(max, after.size()));
      XmlWriter x = XmlWriter.document("ListPartsResult").element("Bucket", t.bucket()).element("Key", t.key())
          .element("UploadId", e.getKey().uploadId())
          .start("Initiator").element("ID", "quiesce").element("DisplayName", "quiesce").end()
          .start("Owner").element("ID", "quiesce").element("DisplayName", "quiesce").end()
          .element("StorageClass", e.getKey().headers().getOrDefault(ObjectOptions.STORAGE_CLASS, "STANDARD"))
          .element("PartNumberMarker", marker)
          .element("NextPartNumberMarker", page.isEmpty() ? marker : page.get(page.size() - 1).number())
          .element("MaxParts", max).element("IsTruncated", after.size() > page.size());
      for (ObjectStore.PartInfo p : page) {
        x.start("Part").element("PartNumber", p.number()).element("LastModified", XML_DATE.format(p.lastModified()))
            .element("ETag", p.etag()).element("Size", p.size()).end();
      }
      return xml(req, 200, x.finish());
    });
  }

  /** ListMultipartUploads with {@code prefix}, {@code key-marker}/{@code upload-id-marker} and {@code max-uploads}. */
  private Future<Void> listMultipartUploads(HttpServerRequest req, Target t) {
    if (t.query().get("delimiter") != null) {
      throw S3Error.notImplemented("ListMultipartUploads with a delimiter");
    }
    int max = intParam(t, "max-uploads", 1000, 1000);
    String prefix = t.query().get("prefix") == null ? "" : t.query().get("prefix");
    String keyMarker = t.query().get("key-marker");
    String idMarker = t.query().get("upload-id-marker");
    return blocking(() -> store().uploads(t.bucket())).map(all -> {
      List<ObjectStore.MultipartInfo> after = new ArrayList<>();
      boolean past = keyMarker == null;
      for (ObjectStore.MultipartInfo u : all) {
        if (!past) {
          int c = u.key().compareTo(keyMarker);
          // After key-marker; with upload-id-marker, the uploads of key-marker after that one too.
          past = c > 0;
          if (c == 0 && idMarker != null && u.uploadId().equals(idMarker)) {
            past = true;
            continue;
          }
          if (!past) {
            continue;
          }
        }
        if (u.key().startsWith(prefix)) {
          after.add(u);
        }
      }
      List<ObjectStore.MultipartInfo> page = after.subList(0, Math.min(max, after.size()));
      boolean truncated = after.size() > page.size();
      XmlWriter x = XmlWriter.document("ListMultipartUploadsResult").element("Bucket", t.bucket())
          .element("KeyMarker", keyMarker == null ? "" : keyMarker).element("UploadIdMarker", idMarker == null ? "" : idMarker)
          .element("NextKeyMarker", truncated ? page.get(page.size() - 1).key() : null)
          .element("NextUploadIdMarker", truncated ? page.get(page.size() - 1).uploadId() : null)
          .element("Prefix", prefix).element("MaxUploads", max).element("IsTruncated", truncated);
      for (ObjectStore.MultipartInfo u : page) {
        x.start("Upload").element("Key", u.key()).element("UploadId", u.uploadId())
            .start("Initiator").element("ID", "quiesce").element("DisplayName", "quiesce").end()
            .start("Owner").element("ID", "quiesce").element("DisplayName", "quiesce").end()
            .element("StorageClass", u.headers().getOrDefault(ObjectOptions.STORAGE_CLASS, "STANDARD"))
            .element("Initiated", XML_DATE.format(u.initiated())).end();
      }
      return xml(req, 200, x.finish());
    });
  }

  /** A non-negative integer query parameter, capped at {@code cap}; 400 InvalidArgument when it is not one. */
  private static int intParam(Target t, String name, int absent, int cap) {
    String v = t.query().get(name);
    if (v == null) {
      return absent;
    }
    if (!v.matches("\\d{1,10}") || Long.parseLong(v) > Integer.MAX_VALUE) {
      throw S3Error.invalidArgument(name + " must be an integer from 0 to 2147483647, was \"" + abbreviate(v) + "\"");
    }
    return Math.min(cap, Integer.parseInt(v));
  }

  private static String unquote(String s) {
    String v = s.strip();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }

  /** What to do with a fully received, verified upload. */
  private interface Commit {
    StoredObject commit(ObjectStore.Upload upload) throws Exception;
  }

  /**
   * Streams a request body of at most {@code max} bytes into the upload {@code begin} starts (on
   * a worker thread), verifies its length, Content-MD5 and checksums, and commits it.
   */
  private Future<StoredObject> receive(HttpServerRequest req, long max, java.util.concurrent.Callable<ObjectStore.Upload> begin,
      Commit commit) {
    String contentEncoding = req.getHeader("content-encoding");
    String sha = req.getHeader("x-amz-content-sha256");
    boolean chunked = (contentEncoding != null && contentEncoding.toLowerCase(Locale.ROOT).contains("aws-chunked"))
        || (sha != null && sha.startsWith("STREAMING-"));
    long declared = length(req.getHeader(chunked ? "x-amz-decoded-content-length" : "content-length"));
    if (declared > max) {
      throw tooLarge(max);
    }
    byte[] contentMd5 = contentMd5(req.getHeader("content-md5"));
    if (storage.budget().available() < UploadPipe.WINDOW) {
      throw slowDown();
    }
    Map<String, String> checksumHeaders = new LinkedHashMap<>();
    req.headers().forEach(h -> {
      if (h.getKey().toLowerCase(Locale.ROOT).startsWith(Checksums.PREFIX)) {
        checksumHeaders.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
      }
    });
    Checksums checksums = new Checksums(checksumHeaders, req.getHeader("x-amz-trailer"));
    AwsChunkedDecoder decoder = chunked ? new AwsChunkedDecoder(max) : null;
    return blocking(begin).compose(upload -> {
      continueIfExpected(req);
      return new UploadPipe(req, storage, upload, decoder, checksums, max).run()
          .compose(trailers -> blocking(() -> {
            if (decoder != null && declared >= 0 && decoder.contentLength() != declared) {
              throw new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by "
                  + "x-amz-decoded-content-length (" + declared + "); received " + decoder.contentLength());
            }
            if (contentMd5 != null && !MessageDigest.isEqual(contentMd5, upload.md5())) {
              throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            }
            upload.addChecksums(checksums.verify(trailers));
            return commit.commit(upload);
          }))
          .eventually(() -> blocking(() -> {
            upload.close(); // removes the temp file of an upload that was not committed
            return null;
          }));
    });
  }


  /** The object under {@code key} now; null when there is none (a missing bucket still fails). */
  private StoredObject currentOrNull(String bucket, String key) throws StoreException {
    try {
      return store().head(bucket, key);
    } catch (StoreException e) {
      if (e.reason() == StoreException.Reason.NO_SUCH_ITEM) {
        return null;
      }
      throw e;
    }
  }

  /** A Content-Length-like header: -1 when absent; too large when it is not a plain number that fits. */
  private static long length(String header) {
    if (header == null) {
      return -1;
    }
    String v = header.strip();
    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
      throw v.length() > 18 && v.chars().allMatch(Character::isDigit) ? tooLarge(MAX_OBJECT_BYTES)
          : S3Error.invalidArgument("The length header \"" + abbreviate(v) + "\" is not a number");
    }
    return Long.parseLong(v);
  }

  /** S3's limit on a key: 1024 bytes of UTF-8. */
  private static void checkKey(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new S3Error(400, "KeyTooLongError", "Your key is too long (at most " + MAX_KEY_BYTES + " bytes of UTF-8).");
    }
  }

  /**
   * RFC 9112 §6.1: a Transfer-Encoding other than {@code chunked} cannot be framed, and one sent
   * with a Content-Length is a smuggling attempt or a broken client; either way 400 and close.
   * (Netty ignores a coding it does not know and frames by Content-Length, so it is checked here.)
   */
  static void checkFraming(HttpServerRequest req) {
    String te = req.getHeader("transfer-encoding");
    if (te != null && (!te.strip().equalsIgnoreCase("chunked") || req.getHeader("content-length") != null)) {
      throw new S3Error(400, "InvalidRequest", "Transfer-Encoding \"" + abbreviate(te) + "\" with"
          + (req.getHeader("content-length") != null ? " a Content-Length" : "out chunked") + " cannot be framed.");
    }
  }

  /** Sends {@code 100 Continue} to a client waiting for it; only once nothing refuses the request unread. */
  private static void continueIfExpected(HttpServerRequest req) {
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect")) && !req.response().headWritten()) {
      req.response().writeContinue();
    }
  }

  /** The bucket and key {@code x-amz-copy-source} names. */
  private static String[] copySource(HttpServerRequest req) {
    String source = req.getHeader("x-amz-copy-source");
    int q = source.indexOf('?');
    if (q >= 0 && source.substring(q).contains("versionId")) {
      throw S3Error.notImplemented("Copying a version (versionId in x-amz-copy-source)");
    }
    String path = decodePath(q < 0 ? source : source.substring(0, q));
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
    }
    return new String[] {path.substring(0, slash), path.substring(slash + 1)};
  }

  private Future<Void> copyObject(HttpServerRequest req, Target t) {
    String[] source = copySource(req);
    String srcBucket = source[0];
    String srcKey = source[1];
    boolean replace = "REPLACE".equalsIgnoreCase(req.getHeader("x-amz-metadata-directive"));
    Map<String, String> options = ObjectOptions.stored(t.headers());
    java.util.function.Consumer<StoredObject> condition = Preconditions.forWrite(t.headers());
    if (!replace && srcBucket.equals(t.bucket()) && srcKey.equals(t.key()) && options.isEmpty()) {
      throw new S3Error(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself "
          + "without changing the object's metadata, storage class, website redirect location or encryption attributes.");
    }
    Map<String, String> headers = storedHeaders(req, t.headers());
    Map<String, String> metadata = userMetadata(t.headers());
    checkKey(t.key());
    return blocking(() -> {
      if (!store().exists(t.bucket())) {
        throw S3Error.noSuchBucket();
      }
      // Copied through a small buffer on this worker thread; the source is checked against its ETag.
      try (OpenObject src = store().open(srcBucket, srcKey)) {
        Preconditions.checkCopySource(t.headers(), src.object());
        condition.accept(currentOrNull(t.bucket(), t.key()));
        // The x-amz-* options are the request's (S3 copies neither storage class nor redirect).
        Map<String, String> kept = new LinkedHashMap<>(replace ? headers : src.object().headers());
        kept.keySet().removeIf(n -> n.startsWith("x-amz-"));
        kept.putAll(options);
        Map<String, String> sums = new LinkedHashMap<>(src.object().headers());
        sums.keySet().retainAll(ObjectStore.CHECKSUM_HEADERS); // the same bytes: the same checksums
        try (ObjectStore.Upload copy = store().beginPut(t.bucket(), t.key(), kept,
            replace ? metadata : src.object().metadata())) {
          MessageDigest md5 = Checksums.digest("MD5");
          ByteBuffer buf = ByteBuffer.allocate(STREAM_CHUNK);
          for (long pos = 0; pos < src.object().size(); ) {
            buf.clear().limit((int) Math.min(STREAM_CHUNK, src.object().size() - pos));
            pos += src.read(pos, buf);
            buf.flip();
            md5.update(buf.duplicate());
            copy.write(buf);
          }
          checkIntact(srcBucket, src, md5.digest());
          copy.addChecksums(sums);
          return copy.commit(condition);
        }
      }
    }).map(o -> {
      req.response().putHeader(ObjectOptions.SSE, "AES256");
      XmlWriter x = XmlWriter.document("CopyObjectResult")
          .element("LastModified", XML_DATE.format(o.lastModified())).element("ETag", o.etag());
      for (String name : ObjectStore.CHECKSUM_HEADERS) {
        if (o.headers().containsKey(name)) {
          x.element("Checksum" + name.substring(Checksums.PREFIX.length()).toUpperCase(Locale.ROOT), o.headers().get(name));
        }
      }
      return xml(req, 200, x.finish());
    });
  }

  private Future<Void> getObject(HttpServerRequest req, Target t, boolean head) {
    ObjectOptions.refuseReadOptions(t.headers());
    String range = req.getHeader("range");
    if (head) {
      return blocking(() -> store().head(t.bucket(), t.key())).map(o -> {
        Preconditions.checkRead(t.headers(), o, req.response(), HTTP_DATE);
        Slice asked = ByteRange.slice(range, o.size()); // S3 answers a ranged HEAD as it would the GET
        objectHeaders(req.response(), o);
        if (wantsChecksums(req, asked)) {
          checksumHeaders(req.response(), o);
        }
        contentRange(req.response(), asked, o);
        req.response().putHeader("Content-Length", Long.toString(asked == null ? o.size() : asked.length())).end();
        return null;
      });
    }
    return blocking(() -> store().open(t.bucket(), t.key())).compose(opened -> {
      Future<Void> sent;
      try {
        Preconditions.checkRead(t.headers(), opened.object(), req.response(), HTTP_DATE);
        sent = sendObject(req, t.bucket(), opened, range);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      return sent.eventually(() -> blocking(() -> {
        opened.close();
        return null;
      }));
    });
  }

  /**
   * Sends an object (or the slice {@code range} asks for) from the file opened for this request,
   * checked against its stored MD5 so that corrupt content is never served as if fine:
   * <ul>
   *   <li>objects up to {@link #VERIFY_BEFORE_SEND} are read whole and checked before the status
   *       line is sent: a corrupt one is answered 500 {@code InternalError};
   *   <li>larger ones are streamed, the MD5 computed on the way; the last chunk is written only
   *       once the whole content is known to match, else the connection is reset without it, so
   *       the client sees a body shorter than its Content-Length (an error every client reports);
   *   <li>a range of a larger object is served without a check (that would mean reading it all).
   * </ul>
   * A corrupt object is logged with the file that holds it.
   */
  private Future<Void> sendObject(HttpServerRequest req, String bucket, OpenObject opened, String range) {
    StoredObject o = opened.object();
    Slice asked = ByteRange.slice(range, o.size());
    Slice slice = asked != null ? asked : new Slice(0, o.size());
    HttpServerResponse r = req.response();
    if (o.size() <= VERIFY_BEFORE_SEND) {
      if (!storage.budget().tryReserve(o.size())) {
        throw slowDown();
      }
      return blocking(() -> {
        ByteBuffer all = ByteBuffer.allocate((int) o.size());
        opened.read(0, all);
        checkIntact(bucket, opened, Checksums.digest("MD5").digest(all.array()));
        return all.array();
      }).compose(all -> {
        objectHeaders(r, o);
        if (wantsChecksums(req, asked)) {
          checksumHeaders(r, o);
        }
        contentRange(r, asked, o);
        return r.end(Buffer.buffer(java.util.Arrays.copyOfRange(all, (int) slice.start(), (int) (slice.start() + slice.length()))));
      }).eventually(() -> {
        storage.budget().release(o.size());
        return Future.succeededFuture();
      });
    }
    objectHeaders(r, o);
    if (wantsChecksums(req, asked)) {
      checksumHeaders(r, o);
    }
    contentRange(r, asked, o);
    r.putHeader("Content-Length", Long.toString(slice.length()));
    return new ObjectStreamer(r, bucket, opened, slice, asked == null ? Checksums.digest("MD5") : null).start();
  }

  /** The stored {@code x-amz-checksum-*} values of an object, with S3's {@code x-amz-checksum-type}. */
  private static void checksumHeaders(HttpServerResponse r, StoredObject o) {
    boolean any = false;
    for (String name : ObjectStore.CHECKSUM_HEADERS) {
      if (o.headers().containsKey(name)) {
        r.putHeader(name, o.headers().get(name));
        any = true;
      }
    }
    if (any) {
      r.putHeader("x-amz-checksum-type", "FULL_OBJECT");
    }
  }

  /** Whether a GET/HEAD asked for checksums ({@code x-amz-checksum-mode: ENABLED}) of the whole object. */
  private static boolean wantsChecksums(HttpServerRequest req, Slice asked) {
    return asked == null && "ENABLED".equalsIgnoreCase(req.getHeader("x-amz-checksum-mode"));
  }

  private static HttpServerResponse objectHeaders(HttpServerResponse r, StoredObject o) {
    r.putHeader("ETag", o.etag())
        .putHeader("Last-Modified", HTTP_DATE.format(o.lastModified()))
        .putHeader("Accept-Ranges", "bytes")
        .putHeader(ObjectOptions.SSE, "AES256");
    o.headers().forEach((name, value) -> {
      if (!name.startsWith(Checksums.PREFIX)) {
        r.putHeader(name, value);
      }
    });
    o.metadata().forEach((k, v) -> r.putHeader(META_PREFIX + k, v));
    return r;
  }

  private static void contentRange(HttpServerResponse r, Slice asked, StoredObject o) {
    if (asked != null) {
      r.setStatusCode(206).putHeader("Content-Range",
          "bytes " + asked.start() + "-" + (asked.start() + asked.length() - 1) + "/" + o.size());
    }
  }

  /** Throws 500 InternalError (and logs the file) when {@code md5} is not the object's stored MD5. */
  private static void checkIntact(String bucket, OpenObject opened, byte[] md5) {
    String actual = java.util.HexFormat.of().formatHex(md5);
    if (!actual.equals(opened.object().md5())) {
      LOG.error("Object {}/{} is corrupt: its content hashes to {} but its stored MD5 is {}; not served. "
          + "File: {} (restore it or move it away)", bucket, opened.object().key(), actual, opened.object().md5(), opened.location());
      throw new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }
  }

  /** Streams a slice of an open object chunk by chunk, with back-pressure; see {@link #sendObject}. */
  private final class ObjectStreamer {
    private final HttpServerResponse r;
    private final String bucket;
    private final OpenObject opened;
    private final long end;
    private final MessageDigest md5; // null: not checked
    private final Promise<Void> done = Promise.promise();
    private long pos;

    ObjectStreamer(HttpServerResponse r, String bucket, OpenObject opened, Slice slice, MessageDigest md5) {
      this.r = r;
      this.bucket = bucket;
      this.opened = opened;
      this.pos = slice.start();
      this.end = slice.start() + slice.length();
      this.md5 = md5;
    }

    Future<Void> start() {
      next();
      return done.future();
    }

    private void next() {
      if (r.closed()) {
        done.tryFail("the client closed the connection");
        return;
      }
      int n = (int) Math.min(STREAM_CHUNK, end - pos);
      long at = pos;
      blocking(() -> {
        ByteBuffer b = ByteBuffer.allocate(n);
        opened.read(at, b);
        if (md5 != null) {
          md5.update(b.array());
          if (at + n == end) {
            checkIntact(bucket, opened, md5.digest()); // before the last bytes go out
          }
        }
        return b.array();
      }).onComplete(read -> {
        if (read.failed()) {
          r.reset(); // the status line is out: cut the response so the client cannot take it as complete
          done.tryFail(read.cause());
          return;
        }
        pos += n;
        if (pos == end) {
          r.end(Buffer.buffer(read.result())).onComplete(done);
          return;
        }
        r.write(Buffer.buffer(read.result()));
        if (r.writeQueueFull()) {
          r.drainHandler(v -> next());
        } else {
          next();
        }
      });
    }
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
    if (q.get("list-type") != null && !v2) {
      throw S3Error.invalidArgument("Invalid list-type " + abbreviate(q.get("list-type")));
    }
    // Version 1 pages by Marker (a key to start after) and owners are always listed.
    String marker = v2 ? null : q.get("marker");
    boolean owner = !v2 || "true".equals(q.get("fetch-owner"));
    // A v1 NextMarker may be a common prefix: resume after everything under it, as S3 does.
    boolean markerIsPrefix = marker != null && !delimiter.isEmpty() && marker.startsWith(prefix)
        && marker.endsWith(delimiter) && marker.indexOf(delimiter, prefix.length()) == marker.length() - delimiter.length();
    return blocking(() -> ObjectListing.page(store(), t.bucket(), prefix, delimiter, max,
        v2 ? startAfter : markerIsPrefix ? null : marker,
        v2 ? token : markerIsPrefix ? ObjectListing.afterPrefix(marker) : null)).map(page -> {
      if (!url && !(XmlWriter.representable(prefix) && XmlWriter.representable(delimiter)
          && (startAfter == null || XmlWriter.representable(startAfter))
          && page.objects().stream().allMatch(o -> XmlWriter.representable(o.key()))
          && page.commonPrefixes().stream().allMatch(XmlWriter::representable))) {
        throw S3Error.invalidArgument("A key or prefix in this listing has characters that XML 1.0 cannot hold "
            + "(control characters); list with encoding-type=url");
      }
      XmlWriter x = XmlWriter.document("ListBucketResult")
          .element("Name", t.bucket())
          .element("Prefix", enc(prefix, url));
      if (v2) {
        x.element("Delimiter", delimiter.isEmpty() ? null : enc(delimiter, url))
            .element("MaxKeys", max)
            .element("KeyCount", page.objects().size() + page.commonPrefixes().size())
            .element("IsTruncated", page.truncated())
            .element("ContinuationToken", token)
            .element("NextContinuationToken", page.nextToken())
            .element("StartAfter", startAfter == null ? null : enc(startAfter, url));
      } else {
        String last = page.objects().isEmpty() ? null : page.objects().get(page.objects().size() - 1).key();
        String lastPrefix = page.commonPrefixes().isEmpty() ? null : page.commonPrefixes().get(page.commonPrefixes().size() - 1);
        if (last == null || (lastPrefix != null && lastPrefix.compareTo(last) > 0)) {
          last = lastPrefix;
        }
        x.element("Marker", marker == null ? "" : enc(marker, url))
            .element("NextMarker", page.truncated() && last != null ? enc(last, url) : null)
            .element("Delimiter", delimiter.isEmpty() ? null : enc(delimiter, url))
            .element("MaxKeys", max)
            .element("IsTruncated", page.truncated());
      }
      x.element("EncodingType", url ? "url" : null);
      for (StoredObject o : page.objects()) {
        x.start("Contents").element("Key", enc(o.key(), url)).element("LastModified", XML_DATE.format(o.lastModified()))
            .element("ETag", o.etag()).element("Size", o.size());
        if (owner) {
          x.start("Owner").element("ID", "quiesce").element("DisplayName", "quiesce").end();
        }
        for (String name : ObjectStore.CHECKSUM_HEADERS) {
          if (o.headers().containsKey(name)) {
            x.element("ChecksumAlgorithm", name.substring(Checksums.PREFIX.length()).toUpperCase(Locale.ROOT));
          }
        }
        x.element("StorageClass", o.headers().getOrDefault(ObjectOptions.STORAGE_CLASS, "STANDARD")).end();
      }
      for (String p : page.commonPrefixes()) {
        x.start("CommonPrefixes").element("Prefix", enc(p, url)).end();
      }
      return xml(req, 200, x.finish());
    });
  }

  /** Checked and parsed on a worker thread: a document of up to a megabyte or two takes its time. */
  private Future<Void> deleteObjects(HttpServerRequest req, Target t, Buffer body) {
    byte[] contentMd5 = contentMd5(req.getHeader("content-md5"));
    return blocking(() -> {
      byte[] xml = body.getBytes();
      if (contentMd5 != null && !MessageDigest.isEqual(contentMd5, Checksums.digest("MD5").digest(xml))) {
        throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
      }
      DeleteObjectsRequest request = DeleteObjectsRequest.parse(xml);
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

  /** The content headers and the {@link ObjectOptions} kept with an object. */
  private static Map<String, String> storedHeaders(HttpServerRequest req, MultiMap effective) {
    Map<String, String> headers = new LinkedHashMap<>(ObjectOptions.stored(effective));
    for (String name : STORED_HEADERS) {
      String v = req.getHeader(name);
      if (name.equals("content-encoding") && v != null) {
        // aws-chunked describes this upload only, not the stored object.
        // Only that coding is removed; the rest is kept as sent ("deflate, gzip" stays so).
        v = String.join(",", java.util.Arrays.stream(v.split(","))
            .filter(s -> !s.isBlank() && !s.strip().equalsIgnoreCase("aws-chunked")).toList()).strip();
      }
      if (v != null && !v.isEmpty()) {
        headers.put(canonical(name), v);
      }
    }
    headers.putIfAbsent("Content-Type", "binary/octet-stream");
    return headers;
  }

  private static Map<String, String> userMetadata(MultiMap effective) {
    Map<String, String> meta = new LinkedHashMap<>();
    effective.forEach(h -> {
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

  /** The decoded Content-MD5 header; null when absent; 400 InvalidDigest when it is not 16 bytes of base64. */
  private static byte[] contentMd5(String contentMd5) {
    if (contentMd5 == null) {
      return null;
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
    return expected;
  }

  /** S3's {@code encoding-type=url}: percent-encoding that leaves {@code /} as it is. */
  private static String enc(String s, boolean url) {
    return url ? URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/") : s;
  }

  /** The region a SigV4 request was signed for (header or presigned query); null when unsigned. */
  private static String signingRegion(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    String credential = req.getParam("X-Amz-Credential");
    String source = auth != null ? auth : credential != null ? "Credential=" + credential : null;
    if (source == null) {
      return null;
    }
    java.util.regex.Matcher m = CREDENTIAL_REGION.matcher(source);
    return m.find() ? m.group(1) : null;
  }

  private static Target target(HttpServerRequest req) {
    String path = decodePath(req.path());
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.isEmpty()) {
      return new Target(null, null, req.params(), ObjectOptions.effectiveHeaders(req.headers(), req.params()));
    }
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String key = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
    return new Target(bucket, key, req.params(), ObjectOptions.effectiveHeaders(req.headers(), req.params()));
  }

  /**
   * Percent-decodes a path; unlike a query string, '+' stays '+'. Strict: a bad escape ({@code %zz})
   * or bytes that are not UTF-8 ({@code %ff}) are a 400, never replaced by U+FFFD (two different
   * keys would then name one object).
   */
  static String decodePath(String raw) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw invalidUri();
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isSurrogate(c)) {
          b = raw.substring(i, Math.min(i + 2, raw.length())).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw invalidUri();
    }
  }

  private static S3Error invalidUri() {
    return new S3Error(400, "InvalidURI", "Couldn't parse the specified URI: a percent-escape is malformed or not UTF-8.");
  }

  /**
   * A body that is parsed whole (DeleteObjects' XML): refused as soon as it passes {@code cap}
   * bytes, whatever its framing. The caller reserves {@code cap} from the budget around it.
   */
  private Future<Buffer> readSmallBody(HttpServerRequest req, int cap) {
    if (length(req.getHeader("content-length")) > cap) {
      return Future.failedFuture(tooLargeBody(cap));
    }
    continueIfExpected(req);
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > cap) {
        req.pause();
        done.tryFail(tooLargeBody(cap));
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }

  /** Reads and drops a body no operation here uses (a CreateBucket configuration, say). */
  private static Future<Void> discardBody(HttpServerRequest req) {
    if (req.isEnded()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    req.handler(chunk -> { });
    req.endHandler(v -> done.tryComplete());
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }

  static S3Error tooLarge(long max) {
    return new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size of " + max
        + " bytes for this emulator" + (max == MAX_OBJECT_BYTES ? " (use multipart upload for larger objects)." : "."));
  }

  private static S3Error tooLargeBody(int cap) {
    return new S3Error(400, "EntityTooLarge", "The request body exceeds the " + cap + " bytes this operation accepts.");
  }

  /** What S3 answers when it cannot take more now; every SDK retries it with back-off. */
  static S3Error slowDown() {
    return new S3Error(503, "SlowDown", "Please reduce your request rate: the emulator's memory for request bodies in "
        + "transit is in use; retry shortly.");
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
    return storage.blocking(work);
  }

  private static Void xml(HttpServerRequest req, int status, String doc) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/xml").end(doc);
    return null;
  }

  /** Whether the body still to come is a declared, well-framed one of at most {@link UploadPipe#WINDOW} bytes. */
  private static boolean smallBody(HttpServerRequest req) {
    String cl = req.getHeader("content-length");
    return req.getHeader("transfer-encoding") == null && cl != null && cl.strip().matches("\\d{1,7}")
        && Integer.parseInt(cl.strip()) <= UploadPipe.WINDOW;
  }

  /** {@code s} with the characters XML 1.0 cannot hold percent-encoded (for echoing a path back). */
  private static String xmlSafe(String s) {
    if (XmlWriter.representable(s)) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    s.codePoints().forEach(cp -> {
      String one = new String(Character.toChars(cp));
      if (XmlWriter.representable(one)) {
        b.append(one);
      } else {
        for (byte x : one.getBytes(StandardCharsets.UTF_8)) {
          b.append('%').append(String.format("%02X", x & 0xff));
        }
      }
    });
    return b.toString();
  }

  private static void fail(HttpServerRequest req, Throwable cause, String resource, String bucket, String key,
      String requestId) {
    S3Error e;
    if (cause instanceof S3Error s) {
      e = s;
    } else if (cause instanceof StoreException s) {
      e = switch (s.reason()) {
        case NO_SUCH_CONTAINER -> S3Error.noSuchBucket();
        case NO_SUCH_ITEM -> S3Error.noSuchKey();
        case CONTAINER_EXISTS -> S3Error.bucketAlreadyOwnedByYou();
        case CONTAINER_NOT_EMPTY -> S3Error.bucketNotEmpty();
        case NO_SUCH_UPLOAD -> new S3Error(404, "NoSuchUpload", "The specified multipart upload does not exist. The upload "
            + "ID may be invalid, or the upload may have been aborted or completed.");
      };
    } else {
      LOG.error("S3 request {} {} failed", req.method(), resource, cause);
      e = new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }
    HttpServerResponse r = req.response();
    if (r.ended() || r.closed()) {
      return;
    }
    if (r.headWritten()) {
      r.reset(); // failed mid-body: cut it, so the client cannot take a part for the whole
      return;
    }
    if (!req.isEnded() && smallBody(req) && e.status() != 503) {
      // A small body is read and dropped before the answer, after a 100 Continue if the client
      // waits for one: a client that cannot take an answer while it is still sending (the JDK's
      // HttpURLConnection, used by the SDK's url-connection client) then sees the S3 error.
      continueIfExpected(req);
      discardBody(req).onComplete(v -> fail(req, cause, resource, bucket, key, requestId));
      return;
    }
    r.setStatusCode(e.status());
    boolean unread = !req.isEnded();
    if (unread) {
      r.putHeader("Connection", "close");
      EarlyAnswer.discardBodyThenClose(req);
    }
    // S3 names the bucket or key an error is about, and sends no body with a 304.
    boolean aboutBucket = bucket != null && BUCKET_ERRORS.contains(e.code());
    boolean aboutKey = key != null && e.code().equals("NoSuchKey");
    if (req.method() == HttpMethod.HEAD || e.status() == 304) {
      r.end();
      return;
    }
    r.putHeader("Content-Type", "application/xml").end(XmlWriter.plainDocument("Error")
            .element("Code", e.code()).element("Message", e.getMessage())
            .element("BucketName", aboutBucket ? xmlSafe(bucket) : null)
            .element("Key", aboutKey ? xmlSafe(key) : null)
            .element("Resource", xmlSafe(resource))
            .element("RequestId", requestId).finish());
  }
}
