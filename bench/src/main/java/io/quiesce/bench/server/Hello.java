package io.quiesce.bench.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/** The one route both throughput servers serve, so they differ only in what surrounds it. */
final class Hello {

  static final String PATH = "/hello";

  private Hello() {}

  static void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("hello"));
  }
}
