package io.quiesce.bench.jmh;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;

/**
 * The least a {@link io.vertx.ext.web.RoutingContext} must do for {@link
 * io.quiesce.http.tracking.RequestTracker}'s admitted path, with nothing of its own allocated per
 * call: a fixed path, a {@code GET} request with typical headers ({@link StubRequest}), one end-handler slot, and {@code next()} ending the "request" at once (so the
 * benchmark measures tracker enter + end-handler registration + exit, with the request statistics
 * the end handler records). The response only answers {@code getStatusCode()} (200; see {@link StubResponse}). Every other method throws, so
 * a change in what the tracker touches shows up as a failing benchmark, not a silent stub.
 */
@SuppressWarnings("deprecation")
final class StubRoutingContext implements io.vertx.ext.web.RoutingContext {

  private static final HttpServerResponse RESPONSE = new StubResponse();

  private final io.vertx.core.http.HttpServerRequest request = new StubRequest();

  private final String path;
  private Handler<AsyncResult<Void>> endHandler;

  StubRoutingContext(String path) {
    this.path = path;
  }

  @Override
  public String normalizedPath() {
    return path;
  }

  @Override
  public int addEndHandler(Handler<AsyncResult<Void>> handler) {
    endHandler = handler;
    return 0;
  }

  @Override
  public void next() {
    Handler<AsyncResult<Void>> h = endHandler;
    if (h != null) {
      endHandler = null;
      h.handle(Future.succeededFuture()); // a shared constant in Vert.x: no allocation
    }
  }

  @Override
  public io.vertx.core.http.HttpServerRequest request() {
    return request;
  }

  @Override
  public HttpServerResponse response() {
    return RESPONSE;
  }

  @Override
  public void fail(int a0) {
    throw new UnsupportedOperationException("fail");
  }

  @Override
  public void fail(java.lang.Throwable a0) {
    throw new UnsupportedOperationException("fail");
  }

  @Override
  public void fail(int a0, java.lang.Throwable a1) {
    throw new UnsupportedOperationException("fail");
  }

  @Override
  public io.vertx.ext.web.RoutingContext put(java.lang.String a0, java.lang.Object a1) {
    throw new UnsupportedOperationException("put");
  }

  @Override
  public <T> T get(java.lang.String a0) {
    throw new UnsupportedOperationException("get");
  }

  @Override
  public <T> T get(java.lang.String a0, T a1) {
    throw new UnsupportedOperationException("get");
  }

  @Override
  public <T> T remove(java.lang.String a0) {
    throw new UnsupportedOperationException("remove");
  }

  @Override
  public <T> java.util.Map<java.lang.String, T> data() {
    throw new UnsupportedOperationException("data");
  }

  @Override
  public io.vertx.core.Vertx vertx() {
    throw new UnsupportedOperationException("vertx");
  }

  @Override
  public java.lang.String mountPoint() {
    throw new UnsupportedOperationException("mountPoint");
  }

  @Override
  public io.vertx.ext.web.Route currentRoute() {
    throw new UnsupportedOperationException("currentRoute");
  }

  @Override
  public io.vertx.ext.web.RequestBody body() {
    throw new UnsupportedOperationException("body");
  }

  @Override
  public java.util.List<io.vertx.ext.web.FileUpload> fileUploads() {
    throw new UnsupportedOperationException("fileUploads");
  }

  @Override
  public void cancelAndCleanupFileUploads() {
    throw new UnsupportedOperationException("cancelAndCleanupFileUploads");
  }

  @Override
  public io.vertx.ext.web.Session session() {
    throw new UnsupportedOperationException("session");
  }

  @Override
  public boolean isSessionAccessed() {
    throw new UnsupportedOperationException("isSessionAccessed");
  }

  @Override
  public io.vertx.ext.web.UserContext userContext() {
    throw new UnsupportedOperationException("userContext");
  }

  @Override
  public java.lang.Throwable failure() {
    throw new UnsupportedOperationException("failure");
  }

  @Override
  public int statusCode() {
    throw new UnsupportedOperationException("statusCode");
  }

  @Override
  public java.lang.String getAcceptableContentType() {
    throw new UnsupportedOperationException("getAcceptableContentType");
  }

  @Override
  public io.vertx.ext.web.ParsedHeaderValues parsedHeaders() {
    throw new UnsupportedOperationException("parsedHeaders");
  }

  @Override
  public int addHeadersEndHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("addHeadersEndHandler");
  }

  @Override
  public boolean removeHeadersEndHandler(int a0) {
    throw new UnsupportedOperationException("removeHeadersEndHandler");
  }

  @Override
  public int addBodyEndHandler(io.vertx.core.Handler<java.lang.Void> a0) {
    throw new UnsupportedOperationException("addBodyEndHandler");
  }

  @Override
  public boolean removeBodyEndHandler(int a0) {
    throw new UnsupportedOperationException("removeBodyEndHandler");
  }

  @Override
  public boolean removeEndHandler(int a0) {
    throw new UnsupportedOperationException("removeEndHandler");
  }

  @Override
  public boolean failed() {
    throw new UnsupportedOperationException("failed");
  }

  @Override
  public void setAcceptableContentType(java.lang.String a0) {
    throw new UnsupportedOperationException("setAcceptableContentType");
  }

  @Override
  public void reroute(io.vertx.core.http.HttpMethod a0, java.lang.String a1) {
    throw new UnsupportedOperationException("reroute");
  }

  @Override
  public java.util.Map<java.lang.String, java.lang.String> pathParams() {
    throw new UnsupportedOperationException("pathParams");
  }

  @Override
  public java.lang.String pathParam(java.lang.String a0) {
    throw new UnsupportedOperationException("pathParam");
  }

  @Override
  public io.vertx.core.MultiMap queryParams() {
    throw new UnsupportedOperationException("queryParams");
  }

  @Override
  public io.vertx.core.MultiMap queryParams(java.nio.charset.Charset a0) {
    throw new UnsupportedOperationException("queryParams");
  }

  @Override
  public java.util.List<java.lang.String> queryParam(java.lang.String a0) {
    throw new UnsupportedOperationException("queryParam");
  }

}
