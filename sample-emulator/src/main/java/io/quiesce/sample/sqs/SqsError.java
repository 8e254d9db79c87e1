package io.quiesce.sample.sqs;

/**
 * An SQS error as the AWS JSON 1.0 protocol reports it: HTTP 400, a {@code __type} naming the
 * error shape, and the {@code x-amzn-query-error} header with the older query-protocol code that
 * SDKs in query-compatible mode read.
 */
final class SqsError extends RuntimeException {

  private final String type;
  private final String queryCode;

  SqsError(String type, String queryCode, String message) {
    super(message, null, false, false);
    this.type = type;
    this.queryCode = queryCode;
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

  static SqsError missingParameter(String name) {
    return new SqsError("MissingParameter", "MissingParameter", "The request must contain the parameter " + name + ".");
  }
}
