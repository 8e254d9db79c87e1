package io.quiesce.sample.s3;

import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code x-amz-*} options of a write (PutObject, CopyObject, CreateMultipartUpload), each
 * either stored and returned as S3 does or refused; none is accepted and then forgotten:
 * <ul>
 *   <li>{@code x-amz-storage-class}: stored, returned on GET/HEAD (S3 omits STANDARD) and in
 *       listings; an unknown class is 400 {@code InvalidStorageClass}; the archive classes
 *       (GLACIER, DEEP_ARCHIVE), whose objects need RestoreObject, are {@code NotImplemented};
 *   <li>{@code x-amz-website-redirect-location}: stored and returned;
 *   <li>{@code x-amz-server-side-encryption: AES256} (SSE-S3): what S3 does to every object
 *       anyway; the header is returned on every write and read, as S3 does. SSE-KMS and SSE-C are
 *       {@code NotImplemented} (an SSE-C object must not be readable without its key);
 *   <li>canned {@code x-amz-acl}: {@code private} and {@code bucket-owner-full-control} are what
 *       every object here is; any other ACL or an {@code x-amz-grant-*} is refused with S3's own
 *       answer for a bucket with ACLs disabled (its default since 2023),
 *       400 {@code AccessControlListNotSupported};
 *   <li>{@code x-amz-tagging}: {@code NotImplemented} (tagging is);
 *   <li>object-lock headers: 400 {@code InvalidRequest}, S3's answer for a bucket without Object
 *       Lock, which every bucket here is.
 * </ul>
 * A presigned URL may carry these headers (and {@code x-amz-meta-*}) in its query string: S3
 * treats them as headers, and so does {@link #effectiveHeaders}.
 */
final class ObjectOptions {

  static final String STORAGE_CLASS = "x-amz-storage-class";
  static final String REDIRECT = "x-amz-website-redirect-location";
  static final String SSE = "x-amz-server-side-encryption";

  private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA",
      "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE");
  private static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEP_ARCHIVE");
  private static final Set<String> SIGNING_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
      "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");

  private ObjectOptions() {}

  /** The request's headers, with the {@code x-amz-*} query parameters of a presigned URL added as headers. */
  static MultiMap effectiveHeaders(MultiMap headers, MultiMap query) {
    MultiMap all = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    query.forEach(e -> {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-amz-") && !SIGNING_PARAMETERS.contains(name) && !headers.contains(name)) {
        all.add(name, e.getValue());
      }
    });
    return all;
  }

  /** Validates the options of a write; the ones stored with the object (returned as headers on GET/HEAD). */
  static Map<String, String> stored(MultiMap h) {
    refuseUnsupported(h);
    Map<String, String> kept = new LinkedHashMap<>();
    String storageClass = h.get(STORAGE_CLASS);
    if (storageClass != null) {
      if (ARCHIVE_CLASSES.contains(storageClass)) {
        throw S3Error.notImplemented("Storage class " + storageClass + " (objects that need RestoreObject)");
      }
      if (!STORAGE_CLASSES.contains(storageClass)) {
        throw new S3Error(400, "InvalidStorageClass", "The storage class you specified is not valid");
      }
      if (!storageClass.equals("STANDARD")) {
        kept.put(STORAGE_CLASS, storageClass);
      }
    }
    String redirect = h.get(REDIRECT);
    if (redirect != null) {
      if (!(redirect.startsWith("/") || redirect.startsWith("http://") || redirect.startsWith("https://"))
          || redirect.length() > 2048) {
        throw new S3Error(400, "InvalidRedirectLocation", "The website redirect location must have a prefix of "
            + "'http://' or 'https://' or '/'.");
      }
      kept.put(REDIRECT, redirect);
    }
    return kept;
  }

  /** Refuses every option this emulator cannot honour (see the class comment). */
  static void refuseUnsupported(MultiMap h) {
    String sse = h.get(SSE);
    if (sse != null && !sse.equals("AES256")) {
      if (sse.startsWith("aws:kms")) {
        throw S3Error.notImplemented("Server-side encryption with KMS (" + sse + ")");
      }
      throw S3Error.invalidArgument("The encryption method specified is not supported");
    }
    for (String name : h.names()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (n.startsWith("x-amz-server-side-encryption-") || n.startsWith("x-amz-copy-source-server-side-encryption-")) {
        throw S3Error.notImplemented("Server-side encryption with KMS or customer keys (" + n + ")");
      }
      if (n.startsWith("x-amz-grant-")) {
        throw aclNotSupported();
      }
      if (n.startsWith("x-amz-object-lock-")) {
        throw new S3Error(400, "InvalidRequest", "Bucket is missing Object Lock Configuration");
      }
    }
    String acl = h.get("x-amz-acl");
    if (acl != null && !acl.equals("private") && !acl.equals("bucket-owner-full-control")) {
      throw aclNotSupported();
    }
    if (h.contains("x-amz-tagging")) {
      throw S3Error.notImplemented("Object tagging (x-amz-tagging)");
    }
  }

  /**
   * CreateBucket's options: a canned ACL other than {@code private} or grants, and Object Lock,
   * are refused (the bucket could not keep them); {@code BucketOwnerEnforced} ownership is what
   * every bucket here has.
   */
  static void refuseBucketOptions(MultiMap h) {
    String acl = h.get("x-amz-acl");
    if ((acl != null && !acl.equals("private")) || h.names().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).startsWith("x-amz-grant-"))) {
      throw new S3Error(400, "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's "
          + "BucketOwnerEnforced setting");
    }
    if ("true".equalsIgnoreCase(h.get("x-amz-bucket-object-lock-enabled"))) {
      throw S3Error.notImplemented("Object Lock");
    }
    String ownership = h.get("x-amz-object-ownership");
    if (ownership != null && !ownership.equals("BucketOwnerEnforced")) {
      throw S3Error.notImplemented("Object ownership " + ownership + " (ACLs)");
    }
  }

  /** GET/HEAD with SSE-C keys: objects here are never encrypted with one, and S3 would not serve them so. */
  static void refuseReadOptions(MultiMap h) {
    for (String name : h.names()) {
      if (name.toLowerCase(Locale.ROOT).startsWith("x-amz-server-side-encryption-customer-")) {
        throw S3Error.notImplemented("Server-side encryption with customer keys (SSE-C)");
      }
    }
  }

  private static S3Error aclNotSupported() {
    return new S3Error(400, "AccessControlListNotSupported", "The bucket does not allow ACLs");
  }
}
