package io.quiesce.sample.sqs;

/**
 * An SQS error as the AWS JSON 1.0 protocol reports it: HTTP 400 (503 when throttled), a {@code __type} naming the
 * error shape, and the {@code x-amzn-query-error} header with the older query-protocol code that
 * SDKs in query-compatible mode read.
 */
final class SqsError extends RuntimeException {

  private final int status;
  private final String type;
  private final String queryCode;

  SqsError(String type, String queryCode, String message) {
    this(400, type, queryCode, message);
  }

  SqsError(int status, String type, String queryCode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.queryCode = queryCode;
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String queryCode() {
    return queryCode;
  }

  static SqsError queueDoesNotExist() {
    return new SqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
  }

  static SqsError invalidParameter(String message) {
    return new SqsError("InvalidParameterValueException", "InvalidParameterValue", message);
  }

  /** The request cannot be taken now (memory for bodies in transit is in use); SDKs retry it with back-off. */
  static SqsError throttled() {
    return new SqsError(503, "RequestThrottled", "RequestThrottled",
        "The emulator's memory for request bodies in transit is in use; retry shortly.");
  }

  static SqsError missingParameter(String name) {
    return new SqsError("MissingParameter", "MissingParameter", "The request must contain the parameter " + name + ".");
  }
}
