package io.quiesce.sample.pubsub;

import io.vertx.grpc.common.GrpcStatus;

/** A Pub/Sub error with the gRPC status the real service answers it with. */
final class PubSubError extends RuntimeException {

  private final GrpcStatus status;

  PubSubError(GrpcStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  GrpcStatus status() {
    return status;
  }

  static PubSubError notFound(String resource) {
    return new PubSubError(GrpcStatus.NOT_FOUND, "Resource not found (resource=" + resource + ").");
  }

  static PubSubError alreadyExists(String resource) {
    return new PubSubError(GrpcStatus.ALREADY_EXISTS, "Resource already exists in the project (resource=" + resource + ").");
  }

  static PubSubError invalid(String message) {
    return new PubSubError(GrpcStatus.INVALID_ARGUMENT, message);
  }

  static PubSubError unsupported(String what) {
    return new PubSubError(GrpcStatus.UNIMPLEMENTED, what + " is not implemented by this emulator");
  }
}
