package ${package};

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.RuntimeKeys;

/**
 * The emulator: its own configuration key, one managed service and one route, on the Quiesce
 * runtime, which brings the command line, configuration, health, metrics, signals and the drain.
 */
public final class EmulatorApp {

  /** Where the emulator keeps its data; {@code none} keeps it in memory only. */
  public static final ConfigKey<String> DATA_DIR = ConfigKey.string("emulator.data_dir", "none",
      "directory that keeps the greeting count across restarts; none keeps it in memory");

  private EmulatorApp() {}

  /** The application; the test kit starts it in-process through this method, and main runs it. */
  public static QuiesceApplication application() {
    return QuiesceApplication.builder("${artifactId}")
        .version("${version}")
        .keys(DATA_DIR)
        .defaultValue(RuntimeKeys.SERVER_PORT, 4570)
        .setup(EmulatorApp::setup)
        .build();
  }

  private static void setup(QuiesceRuntime runtime) {
    Greeter greeter = new Greeter(runtime.vertx(), runtime.config().get(DATA_DIR));
    // A managed service: started before requests are admitted, stopped after the drain.
    runtime.manage(greeter);
    // Behind admission: counted in flight, refused with 503 while starting and draining.
    runtime.router().get("/hello/:name").handler(ctx -> ctx.json(greeter.greet(ctx.pathParam("name"))));
  }

  public static void main(String[] args) {
    System.exit(application().run(args));
  }
}
