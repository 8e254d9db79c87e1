package io.quiesce.bench.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;

/**
 * The routes both throughput servers serve, so they differ only in what surrounds them:
 * {@code GET /hello}, and {@code GET /_bench/allocated}, the bytes allocated so far by all live
 * threads of the JVM (HotSpot's per-thread counters), from which the benchmark derives bytes
 * allocated per request.
 */
final class Hello {

  static final String PATH = "/hello";
  static final String ALLOCATED_PATH = "/_bench/allocated";

  private Hello() {}

  static void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("hello"));
    router.get(ALLOCATED_PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
        .end(Long.toString(allocatedBytes())));
  }

  private static long allocatedBytes() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }
}
