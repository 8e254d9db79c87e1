package io.quiesce.bench.jmh;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;

/**
 * The least a request must do for {@link io.quiesce.http.tracking.RequestTracker}'s admitted path,
 * with nothing allocated per call: one slot for the callback the tracker's end is told through
 * (standing in for the connection that tells it), and a response that answers only {@code
 * getStatusCode()} ({@link StubResponse}). The tracker reads nothing else of the request, so every
 * other method throws: a change in what the tracker touches shows up as a failing benchmark, not a
 * silent stub.
 */
@SuppressWarnings("deprecation")
final class StubRequest implements io.vertx.core.http.HttpServerRequest {

  private static final io.vertx.core.http.HttpServerResponse RESPONSE = new StubResponse();

  private Runnable whenOver;

  /** What the connection does for the tracker: keeps the callback until {@link #answer()}. */
  boolean tellWhenOver(Runnable r) {
    whenOver = r;
    return true;
  }

  /** The exchange is over: tells the tracker, as the connection does once the answer is written. */
  void answer() {
    Runnable r = whenOver;
    whenOver = null;
    r.run();
  }

  @Override
  public HttpMethod method() {
    throw new UnsupportedOperationException("method");
  }

  @Override
  public MultiMap headers() {
    throw new UnsupportedOperationException("headers");
  }

  @Override
  public io.vertx.core.http.HttpVersion version() {
    throw new UnsupportedOperationException("version");
  }

  @Override
  public io.vertx.core.Future<java.lang.Void> end() {
    throw new UnsupportedOperationException("end");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest handler(io.vertx.core.Handler<io.vertx.core.buffer.Buffer> a0) {
    throw new UnsupportedOperationException("handler");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest resume() {
    throw new UnsupportedOperationException("resume");
  }

  @Override
  public io.vertx.core.MultiMap params(boolean a0) {
    throw new UnsupportedOperationException("params");
  }

  @Override
  public io.vertx.core.net.HostAndPort authority(boolean a0) {
    throw new UnsupportedOperationException("authority");
  }

  @Override
  public io.vertx.core.net.HostAndPort authority() {
    throw new UnsupportedOperationException("authority");
  }

  @Override
  public io.vertx.core.Future<io.vertx.core.buffer.Buffer> body() {
    throw new UnsupportedOperationException("body");
  }

  @Override
  public java.lang.String scheme() {
    throw new UnsupportedOperationException("scheme");
  }

  @Override
  public io.vertx.core.http.HttpConnection connection() {
    throw new UnsupportedOperationException("connection");
  }

  @Override
  public long bytesRead() {
    throw new UnsupportedOperationException("bytesRead");
  }

  @Override
  public java.util.Set<io.vertx.core.http.Cookie> cookies() {
    throw new UnsupportedOperationException("cookies");
  }

  @Override
  public java.util.Set<io.vertx.core.http.Cookie> cookies(java.lang.String a0) {
    throw new UnsupportedOperationException("cookies");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest endHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("endHandler");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest fetch(long a0) {
    throw new UnsupportedOperationException("fetch");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest pause() {
    throw new UnsupportedOperationException("pause");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest exceptionHandler(io.vertx.core.Handler<java.lang.Throwable> a0) {
    throw new UnsupportedOperationException("exceptionHandler");
  }

  @Override
  public io.netty.handler.codec.DecoderResult decoderResult() {
    throw new UnsupportedOperationException("decoderResult");
  }

  @Override
  public io.vertx.core.http.HttpServerResponse response() {
    return RESPONSE;
  }

  @Override
  public io.vertx.core.http.HttpServerRequest setParamsCharset(java.lang.String a0) {
    throw new UnsupportedOperationException("setParamsCharset");
  }

  @Override
  public java.lang.String getParamsCharset() {
    throw new UnsupportedOperationException("getParamsCharset");
  }

  @Override
  public java.lang.String absoluteURI() {
    throw new UnsupportedOperationException("absoluteURI");
  }

  @Override
  public io.vertx.core.Future<io.vertx.core.net.NetSocket> toNetSocket() {
    throw new UnsupportedOperationException("toNetSocket");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest setExpectMultipart(boolean a0) {
    throw new UnsupportedOperationException("setExpectMultipart");
  }

  @Override
  public boolean isExpectMultipart() {
    throw new UnsupportedOperationException("isExpectMultipart");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest uploadHandler(io.vertx.core.Handler<io.vertx.core.http.HttpServerFileUpload> a0) {
    throw new UnsupportedOperationException("uploadHandler");
  }

  @Override
  public io.vertx.core.MultiMap formAttributes() {
    throw new UnsupportedOperationException("formAttributes");
  }

  @Override
  public java.lang.String getFormAttribute(java.lang.String a0) {
    throw new UnsupportedOperationException("getFormAttribute");
  }

  @Override
  public io.vertx.core.Future<io.vertx.core.http.ServerWebSocket> toWebSocket() {
    throw new UnsupportedOperationException("toWebSocket");
  }

  @Override
  public boolean isEnded() {
    throw new UnsupportedOperationException("isEnded");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest customFrameHandler(io.vertx.core.Handler<io.vertx.core.http.HttpFrame> a0) {
    throw new UnsupportedOperationException("customFrameHandler");
  }

  @Override
  public io.vertx.core.http.HttpServerRequest streamPriorityHandler(io.vertx.core.Handler<io.vertx.core.http.StreamPriority> a0) {
    throw new UnsupportedOperationException("streamPriorityHandler");
  }

  @Override
  public io.vertx.core.http.Cookie getCookie(java.lang.String a0, java.lang.String a1, java.lang.String a2) {
    throw new UnsupportedOperationException("getCookie");
  }

  @Override
  public io.vertx.core.http.Cookie getCookie(java.lang.String a0) {
    throw new UnsupportedOperationException("getCookie");
  }

  @Override
  public java.lang.String uri() {
    throw new UnsupportedOperationException("uri");
  }

  @Override
  public java.lang.String query() {
    throw new UnsupportedOperationException("query");
  }

  @Override
  public java.lang.String path() {
    throw new UnsupportedOperationException("path");
  }
}
