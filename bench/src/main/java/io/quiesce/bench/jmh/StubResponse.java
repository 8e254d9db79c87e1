package io.quiesce.bench.jmh;

/**
 * The response {@link StubRequest} hands out: {@code getStatusCode()} answers 200, every
 * other method throws, so a change in what the tracker touches shows up as a failing benchmark.
 * A plain class rather than a JDK proxy: a proxy's reflective call costs more than the tracking
 * being measured. Generated from {@code javap io.vertx.core.http.HttpServerResponse} (Vert.x 5.1.1).
 */
final class StubResponse implements io.vertx.core.http.HttpServerResponse {

  @Override
  public io.vertx.core.http.HttpServerResponse exceptionHandler(io.vertx.core.Handler<java.lang.Throwable> a0) {
    throw new UnsupportedOperationException("exceptionHandler");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse setWriteQueueMaxSize(int a0) {
    throw new UnsupportedOperationException("setWriteQueueMaxSize");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse drainHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("drainHandler");
  }

  @Override
  public int getStatusCode() {
    return 200;
  }

  @Override
  public io.vertx.core.http.HttpServerResponse setStatusCode(int a0) {
    throw new UnsupportedOperationException("setStatusCode");
  }

  @Override
  public java.lang.String getStatusMessage() {
    throw new UnsupportedOperationException("getStatusMessage");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse setStatusMessage(java.lang.String a0) {
    throw new UnsupportedOperationException("setStatusMessage");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse setChunked(boolean a0) {
    throw new UnsupportedOperationException("setChunked");
  }

  @Override
  public boolean isChunked() {
    throw new UnsupportedOperationException("isChunked");
  }

  @Override
  public io.vertx.core.MultiMap headers() {
    throw new UnsupportedOperationException("headers");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putHeader(java.lang.String a0, java.lang.String a1) {
    throw new UnsupportedOperationException("putHeader");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putHeader(java.lang.CharSequence a0, java.lang.CharSequence a1) {
    throw new UnsupportedOperationException("putHeader");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putHeader(java.lang.String a0, java.lang.Iterable<java.lang.String> a1) {
    throw new UnsupportedOperationException("putHeader");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putHeader(java.lang.CharSequence a0, java.lang.Iterable<java.lang.CharSequence> a1) {
    throw new UnsupportedOperationException("putHeader");
  }

  @Override
  public io.vertx.core.MultiMap trailers() {
    throw new UnsupportedOperationException("trailers");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putTrailer(java.lang.String a0, java.lang.String a1) {
    throw new UnsupportedOperationException("putTrailer");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putTrailer(java.lang.CharSequence a0, java.lang.CharSequence a1) {
    throw new UnsupportedOperationException("putTrailer");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putTrailer(java.lang.String a0, java.lang.Iterable<java.lang.String> a1) {
    throw new UnsupportedOperationException("putTrailer");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse putTrailer(java.lang.CharSequence a0, java.lang.Iterable<java.lang.CharSequence> a1) {
    throw new UnsupportedOperationException("putTrailer");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse closeHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("closeHandler");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse endHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("endHandler");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> writeHead() {
    throw new UnsupportedOperationException("writeHead");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> write(java.lang.String a0, java.lang.String a1) {
    throw new UnsupportedOperationException("write");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> write(java.lang.String a0) {
    throw new UnsupportedOperationException("write");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> writeContinue() {
    throw new UnsupportedOperationException("writeContinue");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> writeEarlyHints(io.vertx.core.MultiMap a0) {
    throw new UnsupportedOperationException("writeEarlyHints");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> end(java.lang.String a0) {
    throw new UnsupportedOperationException("end");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> end(java.lang.String a0, java.lang.String a1) {
    throw new UnsupportedOperationException("end");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> end(io.vertx.core.buffer.Buffer a0) {
    throw new UnsupportedOperationException("end");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> end() {
    throw new UnsupportedOperationException("end");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> sendFile(java.lang.String a0, long a1, long a2) {
    throw new UnsupportedOperationException("sendFile");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> sendFile(java.nio.channels.FileChannel a0, long a1, long a2) {
    throw new UnsupportedOperationException("sendFile");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> sendFile(java.io.RandomAccessFile a0, long a1, long a2) {
    throw new UnsupportedOperationException("sendFile");
  }

  @Override
  public boolean ended() {
    throw new UnsupportedOperationException("ended");
  }

  @Override
  public boolean closed() {
    throw new UnsupportedOperationException("closed");
  }

  @Override
  public boolean headWritten() {
    throw new UnsupportedOperationException("headWritten");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse headersEndHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("headersEndHandler");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse bodyEndHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("bodyEndHandler");
  }

  @Override
  public long bytesWritten() {
    throw new UnsupportedOperationException("bytesWritten");
  }

  @Override
  public long streamId() {
    throw new UnsupportedOperationException("streamId");
  }

  @Override
  public io.vertx.core.Future<io.vertx.core.http.HttpServerResponse> push(io.vertx.core.http.HttpMethod a0, io.vertx.core.net.HostAndPort a1, java.lang.String a2, io.vertx.core.MultiMap a3) {
    throw new UnsupportedOperationException("push");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> reset(long a0) {
    throw new UnsupportedOperationException("reset");
  }

  @Override
  public io.vertx.core.Future<java.lang.Boolean> cancel() {
    throw new UnsupportedOperationException("cancel");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> writeCustomFrame(int a0, int a1, io.vertx.core.buffer.Buffer a2) {
    throw new UnsupportedOperationException("writeCustomFrame");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse addCookie(io.vertx.core.http.Cookie a0) {
    throw new UnsupportedOperationException("addCookie");
  }

  @Override
  public io.vertx.core.http.Cookie removeCookie(java.lang.String a0, boolean a1) {
    throw new UnsupportedOperationException("removeCookie");
  }

  @Override
  public java.util.Set<io.vertx.core.http.Cookie> removeCookies(java.lang.String a0, boolean a1) {
    throw new UnsupportedOperationException("removeCookies");
  }

  @Override
  public io.vertx.core.http.Cookie removeCookie(java.lang.String a0, java.lang.String a1, java.lang.String a2, boolean a3) {
    throw new UnsupportedOperationException("removeCookie");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> writeAltSvc(java.lang.String a0) {
    throw new UnsupportedOperationException("writeAltSvc");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> write(io.vertx.core.buffer.Buffer a0) {
    throw new UnsupportedOperationException("write");
  }

  @Override
  public boolean writeQueueFull() {
    throw new UnsupportedOperationException("writeQueueFull");
  }
}
