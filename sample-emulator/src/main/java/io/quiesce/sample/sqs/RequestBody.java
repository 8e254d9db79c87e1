package io.quiesce.sample.sqs;

import io.quiesce.sample.storage.MemoryBudget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** An SQS request's body: read within bounds and under the shared memory budget, then parsed. */
final class RequestBody {

  private RequestBody() {}

  /**
   * The request body, refused as soon as it passes {@link SqsApi#MAX_REQUEST_BYTES} whatever its
   * framing (Content-Length or chunked), and held in memory only under the shared budget: the
   * declared length up front, or chunk by chunk. What was reserved is added to {@code reserved[0]}.
   */
  static Future<Buffer> read(HttpServerRequest req, MemoryBudget budget, long[] reserved) {
    String te = req.getHeader("transfer-encoding");
    if (te != null && (!te.strip().equalsIgnoreCase("chunked") || req.getHeader("content-length") != null)) {
      throw SqsError.invalidParameter("Transfer-Encoding \"" + te + "\" cannot be framed (RFC 9112 6.1).");
    }
    String length = req.getHeader("content-length");
    if (length != null && !length.strip().matches("\\d{1,18}")) {
      throw SqsError.invalidParameter("The Content-Length \"" + length + "\" is not a number.");
    }
    long declared = length == null ? -1 : Long.parseLong(length.strip());
    if (declared > SqsApi.MAX_REQUEST_BYTES) {
      throw tooLarge();
    }
    if (declared > 0) {
      if (!budget.tryReserve(declared)) {
        throw SqsError.throttled();
      }
      reserved[0] = declared;
    }
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > SqsApi.MAX_REQUEST_BYTES) {
        req.pause();
        done.tryFail(tooLarge());
        return;
      }
      if (declared < 0) {
        if (!budget.tryReserve(chunk.length())) {
          req.pause();
          done.tryFail(SqsError.throttled());
          return;
        }
        reserved[0] += chunk.length();
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> done.tryComplete(body));
    req.exceptionHandler(done::tryFail);
    req.resume();
    return done.future();
  }

  private static SqsError tooLarge() {
    return SqsError.invalidParameter("The request is larger than " + SqsApi.MAX_REQUEST_BYTES + " bytes.");
  }

  /** The body as the JSON object every SQS request is; not JSON is SQS's SerializationException. */
  static JsonObject json(Buffer body) {
    if (body.length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new SqsError("SerializationException", "SerializationException", "The request body is not a JSON object.");
    }
  }
}
