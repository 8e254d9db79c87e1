package io.quiesce.api;

import io.quiesce.cli.Launchable;
import io.quiesce.cli.QuiesceCli;
import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.OnDemandVertx;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.events.EventKeys;
import io.quiesce.http.Foreground;
import io.quiesce.http.Launcher;
import io.quiesce.signal.ExitCodes;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An emulator's entry point: command line, configuration, lifecycle, HTTP server with request
 * tracking and health, signals, exit codes. An emulator's {@code main} is one line:
 *
 * <pre>{@code
 * System.exit(QuiesceApplication.builder("my-emulator").version("1.0").setup(rt -> ...).build().run(args));
 * }</pre>
 */
public final class QuiesceApplication {

  static {
    // Before any logger exists: the runtime stops log4j itself, after its last line.
    System.setProperty("log4j2.shutdownHookEnabled", "false");
    // Netty's buffer allocators emit JDK Flight Recorder events when JFR is there; the first
    // allocation then initialises JFR's event machinery on an event loop, about 50 ms of the first
    // request's time. Off unless asked for (-Dio.netty.jfr.enabled=true).
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  private final String name;
  private final ConfigSchema schema;
  private final Map<String, Object> defaults;
  private final EmulatorSetup setup;
  private final List<Object> subcommands;

  private QuiesceApplication(Builder b) {
    this.name = b.name;
    this.schema = b.schema;
    this.defaults = Map.copyOf(b.defaults);
    this.setup = b.setup;
    this.subcommands = List.copyOf(b.subcommands);
  }

  /** Every configuration key this application accepts: the runtime's and the emulator's own. */
  public ConfigSchema schema() {
    return schema;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds an application; every setting has a default but the name. */
  public static final class Builder {
    private final String name;
    private ConfigSchema schema = RuntimeKeys.SCHEMA.plus(EventKeys.ALL.toArray(new ConfigKey<?>[0]));
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private EmulatorSetup setup = rt -> {};
    private final List<Object> subcommands = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
      defaults.put(RuntimeKeys.SERVICE_NAME.path(), name);
    }

    public Builder version(String version) {
      defaults.put(RuntimeKeys.SERVICE_VERSION.path(), version);
      return this;
    }

    /** The emulator's own configuration keys, validated and overridable like the runtime's. */
    public Builder keys(ConfigKey<?>... keys) {
      schema = schema.plus(keys);
      return this;
    }

    /** Changes a key's default for this emulator (shown as "application default"). */
    public <T> Builder defaultValue(ConfigKey<T> key, T value) {
      defaults.put(key.path(), key.format(value));
      return this;
    }

    public Builder setup(EmulatorSetup setup) {
      this.setup = setup;
      return this;
    }

    /**
     * Adds a tool run as {@code <emulator> NAME ARGS...} instead of the server: a picocli
     * {@code @Command} object whose {@code call()} returns the exit code (e.g. the events tools).
     */
    public Builder subcommand(Object picocliCommand) {
      subcommands.add(picocliCommand);
      return this;
    }

    public QuiesceApplication build() {
      return new QuiesceApplication(this);
    }
  }

  /**
   * Runs the command line: {@code run} (the default: foreground until SIGTERM/SIGINT, then drain
   * and stop), {@code start}, {@code stop}, {@code restart}, {@code status}, {@code logs}. Returns
   * the process exit code ({@link ExitCodes} for {@code run}; each command documents its own);
   * the caller passes it to {@code System.exit}.
   */
  public int run(String... args) {
    String version = String.valueOf(defaults.getOrDefault(RuntimeKeys.SERVICE_VERSION.path(), RuntimeKeys.SERVICE_VERSION.defaultValue()));
    Launchable launchable = new Launchable() {
      @Override
      public LoadedConfig loadConfig(ConfigRequest request) throws Exception {
        OnDemandVertx vertx = new OnDemandVertx();
        try {
          return ConfigLoader.load(vertx, schema, request).await(30, TimeUnit.SECONDS);
        } finally {
          vertx.close();
        }
      }

      @Override
      public int runForeground(ConfigRequest request) {
        return Foreground.run(new Launcher(schema, setup), request);
      }
    };
    return new QuiesceCli(name, version, defaults, launchable, System.getenv(), System.out, System.err, subcommands).execute(args);
  }

  /**
   * Starts the runtime in this process without touching signals or exiting: for tests and for
   * embedding in a larger program. Fails with {@link ConfigException} on bad configuration, or
   * with the startup error after rollback.
   */
  public Future<QuiesceRuntime> start(ConfigRequest request) {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    merged.putAll(request.applicationDefaults());
    return new Launcher(schema, setup).launch(new ConfigRequest(request.file(), request.env(), request.overrides(), merged), runtime -> {})
        .map(runtime -> runtime);
  }
}
