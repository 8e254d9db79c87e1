package io.quiesce.sample.s3;

import io.quiesce.sample.storage.MemoryBudget;
import io.quiesce.sample.storage.ObjectStore.Upload;
import io.quiesce.sample.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams one PUT body into an {@link Upload} as it arrives: each chunk is decoded (aws-chunked)
 * on the event loop, then checksummed and written to the temp file on a worker thread, one write
 * after the other. What has been read and not yet written is reserved from the shared
 * {@link MemoryBudget} and kept under {@link #WINDOW} per upload by pausing the request (TCP
 * back-pressure to the client), so an upload of any size holds about a megabyte of heap.
 *
 * <p>The future fails with 503 {@code SlowDown} when the budget is spent, with 400 on a malformed
 * or oversized body; in every case only once no write is running any more, so the caller may then
 * close (remove) the upload. After a failure the rest of the body is not read: answer with
 * {@code Connection: close}.
 */
final class UploadPipe {

  /** Bytes read and not yet written, per upload, above which the request is paused. */
  static final int WINDOW = 1024 * 1024;

  private final HttpServerRequest req;
  private final Storage storage;
  private final MemoryBudget budget;
  private final Upload upload;
  private final AwsChunkedDecoder decoder; // null: the body is the content
  private final Checksums checksums;
  private final long maxBytes;
  private final Promise<Map<String, String>> done = Promise.promise();
  private Future<Void> tail = Future.succeededFuture();
  private long pending;
  private long received;
  private Throwable failure;

  UploadPipe(HttpServerRequest req, Storage storage, Upload upload, AwsChunkedDecoder decoder, Checksums checksums, long maxBytes) {
    this.req = req;
    this.storage = storage;
    this.budget = storage.budget();
    this.upload = upload;
    this.decoder = decoder;
    this.checksums = checksums;
    this.maxBytes = maxBytes;
  }

  /** Reads the whole body into the upload; the aws-chunked trailers (empty for a plain body). */
  Future<Map<String, String>> run() {
    req.handler(this::chunk);
    req.exceptionHandler(this::fail);
    req.endHandler(v -> end());
    req.resume();
    return done.future();
  }

  private void chunk(Buffer chunk) {
    if (failure != null) {
      return;
    }
    int n = chunk.length();
    received += n;
    if (decoder == null && received > maxBytes) {
      fail(S3Api.tooLarge(maxBytes));
      return;
    }
    if (!budget.tryReserve(n)) {
      fail(S3Api.slowDown());
      return;
    }
    byte[] bytes = chunk.getBytes();
    List<ByteBuffer> pieces = new ArrayList<>(1);
    try {
      if (decoder == null) {
        pieces.add(ByteBuffer.wrap(bytes));
      } else {
        decoder.feed(bytes, pieces::add);
      }
    } catch (RuntimeException e) {
      budget.release(n);
      fail(e);
      return;
    }
    pending += n;
    if (pending > WINDOW) {
      req.pause();
    }
    tail = tail.compose(v -> storage.blocking(() -> {
      for (ByteBuffer piece : pieces) {
        checksums.update(piece);
        upload.write(piece);
      }
      return (Void) null;
    })).andThen(r -> {
      budget.release(n);
      pending -= n;
      if (r.failed()) {
        fail(r.cause());
      } else if (failure == null && pending <= WINDOW / 2) {
        req.resume();
      }
    });
  }

  private void end() {
    if (failure != null) {
      return;
    }
    Map<String, String> trailers;
    try {
      trailers = decoder == null ? Map.of() : decoder.finish();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    tail.onComplete(r -> {
      if (r.succeeded()) {
        done.tryComplete(trailers);
      }
    });
  }

  private void fail(Throwable e) {
    if (failure != null) {
      return;
    }
    failure = e;
    req.pause(); // read no more of a body that will not be stored
    tail.onComplete(r -> done.tryFail(e));
  }
}
