package io.quiesce.sample.s3;

/**
 * An S3 error as S3 reports it: HTTP status, error code and message, rendered as an
 * {@code <Error>} XML document. Thrown by the request handling and turned into the response.
 */
final class S3Error extends RuntimeException {

  private final int status;
  private final String code;

  S3Error(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static S3Error noSuchBucket() {
    return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
  }

  static S3Error noSuchKey() {
    return new S3Error(404, "NoSuchKey", "The specified key does not exist.");
  }

  static S3Error bucketNotEmpty() {
    return new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
  }

  static S3Error bucketAlreadyOwnedByYou() {
    return new S3Error(409, "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.");
  }

  static S3Error invalidArgument(String message) {
    return new S3Error(400, "InvalidArgument", message);
  }

  static S3Error notImplemented(String what) {
    return new S3Error(501, "NotImplemented", what + " is not implemented by this emulator");
  }
}
