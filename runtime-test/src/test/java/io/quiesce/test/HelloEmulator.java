package io.quiesce.test;

import io.quiesce.api.ManagedService;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.config.ConfigKey;
import io.vertx.core.Future;

/** The smallest emulator the kit's own tests need: one managed service, a fast and a slow route, a data directory. */
public final class HelloEmulator {

  static final ConfigKey<String> DATA_DIR = ConfigKey.string("hello.data_dir", "none", "where hello keeps its data");

  private HelloEmulator() {}

  public static QuiesceApplication application() {
    return QuiesceApplication.builder("hello").version("1.0").keys(DATA_DIR).setup(rt -> {
      rt.manage(ManagedService.of("greeter", Future::succeededFuture, Future::succeededFuture));
      rt.router().get("/hello").handler(ctx -> ctx.end("hello"));
      rt.router().get("/slow").handler(ctx -> {
        long ms = Long.parseLong(ctx.queryParams().get("ms"));
        rt.vertx().setTimer(ms, t -> ctx.end("slept " + ms));
      });
      rt.router().get("/data-dir").handler(ctx -> ctx.end(rt.config().get(DATA_DIR)));
    }).build();
  }

  public static void main(String[] args) {
    System.exit(application().run(args));
  }
}
