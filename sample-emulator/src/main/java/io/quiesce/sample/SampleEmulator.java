package io.quiesce.sample;

import io.quiesce.config.ConfigKey;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.http.QuiesceApplication;
import io.quiesce.http.QuiesceRuntime;

/**
 * A small emulator built only on the runtime's public API: the proof that embedding is one
 * builder and one setup method.
 */
public final class SampleEmulator {

  /** Serve {@code /_demo/*}, the endpoints for watching drain by hand. */
  public static final ConfigKey<Boolean> DEMO_ENDPOINTS =
      ConfigKey.bool("emulator.demo_endpoints", true, "serve /_demo/* endpoints (e.g. /_demo/slow?ms=N) for observing drain");

  public static final int DEFAULT_PORT = 4566;

  private SampleEmulator() {}

  public static QuiesceApplication application() {
    return QuiesceApplication.builder("sample-emulator")
        .version(version())
        .keys(DEMO_ENDPOINTS)
        .defaultValue(RuntimeKeys.SERVER_PORT, DEFAULT_PORT)
        .setup(SampleEmulator::configure)
        .build();
  }

  static void configure(QuiesceRuntime runtime) {
    if (runtime.config().get(DEMO_ENDPOINTS)) {
      new DemoRoutes(runtime.vertx(), runtime.tracker()).mount(runtime.router());
    }
  }

  private static String version() {
    String v = SampleEmulator.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static void main(String[] args) {
    System.exit(application().run(args));
  }
}
