package io.quiesce.http;

import io.quiesce.cli.LaunchOptions;
import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.events.EventHub;
import io.quiesce.events.EventKeys;
import io.quiesce.events.EventSettings;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.events.LoadSnapshot;
import io.quiesce.events.ReplayBuffer;
import io.quiesce.events.ServiceIdentity;
import io.quiesce.events.eventbus.EventBusTransport;
import io.quiesce.health.HealthModel;
import io.quiesce.health.HealthPolicy;
import io.quiesce.hooks.HookRunner;
import io.quiesce.hooks.HookSet;
import io.quiesce.hooks.LifecycleHooks;
import io.quiesce.http.drain.ConnectionDrain;
import io.quiesce.http.events.LifecycleRoutes;
import io.quiesce.http.health.HealthRoutes;
import io.quiesce.http.tracking.RequestTracker;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.lifecycle.LifecycleState;
import io.quiesce.lifecycle.StartupAbortedException;
import io.quiesce.shutdown.ShutdownReason;
import io.quiesce.shutdown.ShutdownReport;
import io.quiesce.signal.ExitCodes;
import io.quiesce.signal.JvmHooks;
import io.quiesce.signal.SignalBridge;
import io.quiesce.supervision.RestartPolicy;
import io.quiesce.supervision.Supervisor;
import io.quiesce.time.RuntimeClock;
import io.quiesce.time.VertxClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;

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
  }

  private static final Logger LOG = LogManager.getLogger(QuiesceApplication.class);
  /** How long past shutdown_timeout the watchdog waits before halting a stuck process. */
  private static final Duration FORCE_GRACE = Duration.ofSeconds(5);
  /** How often health is re-evaluated when nothing else asks. */
  private static final Duration HEALTH_EVALUATION = Duration.ofSeconds(5);

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
    public Builder defaultValue(ConfigKey<?> key, Object value) {
      defaults.put(key.path(), value);
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
   * Runs in the foreground until stopped: parses {@code args}, validates configuration, starts,
   * serves, and on SIGTERM/SIGINT drains and stops. Returns the process exit code
   * ({@link ExitCodes}); the caller passes it to {@code System.exit}.
   */
  public int run(String... args) {
    if (args.length > 0) {
      for (Object command : subcommands) {
        CommandLine tool = new CommandLine(command);
        if (tool.getCommandName().equals(args[0])) {
          return tool.setCommandName(name + " " + args[0]).execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
      }
    }
    LaunchOptions options = new LaunchOptions();
    CommandLine cli = new CommandLine(options).setCommandName(name);
    try {
      cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      System.err.println("Try '" + name + " --help' for the options.");
      return ExitCodes.BAD_CONFIG;
    }
    if (cli.isUsageHelpRequested()) {
      cli.usage(System.out);
      return ExitCodes.CLEAN;
    }
    if (cli.isVersionHelpRequested()) {
      System.out.println(name + " " + defaults.getOrDefault(RuntimeKeys.SERVICE_VERSION.path(), RuntimeKeys.SERVICE_VERSION.defaultValue()));
      return ExitCodes.CLEAN;
    }
    ConfigRequest request = new ConfigRequest(options.config(), System.getenv(), options.overrides(), defaults);
    if (options.printConfig()) {
      return printConfig(request, System.out, System.err);
    }
    return runUntilStopped(request);
  }

  private int printConfig(ConfigRequest request, PrintStream out, PrintStream err) {
    Vertx vertx = Vertx.vertx();
    try {
      LoadedConfig config = await(ConfigLoader.load(vertx, schema, request), Duration.ofSeconds(30));
      config.warnings().forEach(w -> err.println("warning: " + w));
      out.println(config.describe());
      return ExitCodes.CLEAN;
    } catch (ConfigException e) {
      reportConfigProblems(e, err);
      return ExitCodes.BAD_CONFIG;
    } catch (Exception e) {
      err.println("Could not load the configuration: " + e);
      return ExitCodes.BAD_CONFIG;
    } finally {
      vertx.close();
    }
  }

  private int runUntilStopped(ConfigRequest request) {
    AtomicReference<LifecycleManager> lifecycle = new AtomicReference<>();
    QuiesceRuntime runtime;
    try {
      runtime = await(launch(request, lc -> {
        lifecycle.set(lc);
        new SignalBridge(lc, JvmHooks.SYSTEM, FORCE_GRACE, LogManager::shutdown).install();
      }), Duration.ofDays(3650));
    } catch (ConfigException e) {
      reportConfigProblems(e, System.err);
      return ExitCodes.BAD_CONFIG;
    } catch (StartupAbortedException e) {
      // Stopped by a signal while starting: not a failure, the shutdown report decides.
      return exit(awaitReport(lifecycle.get()), null);
    } catch (Exception e) {
      LOG.error("Startup failed: {}", e.getMessage(), e);
      return exit(ExitCodes.FAILED, null);
    }
    int code = awaitReport(runtime.lifecycle());
    try {
      // The shutdown event goes out before Vert.x closes; bounded, a stuck transport never holds the exit.
      await(runtime.events().whenClosed(), Duration.ofSeconds(5));
    } catch (Exception e) {
      LOG.warn("Events did not close in time: {}", e.toString());
    }
    return exit(code, runtime.vertx());
  }

  private static int awaitReport(LifecycleManager lifecycle) {
    try {
      ShutdownReport report = await(lifecycle.whenStopped(), Duration.ofDays(3650));
      if (report.reason().equals(ShutdownReason.RESTART)) {
        return ExitCodes.RESTART; // asked to restart: the supervisor starts us again, whatever the drain's outcome
      }
      return report.clean() ? ExitCodes.CLEAN : ExitCodes.FAILED;
    } catch (Exception e) {
      LOG.error("Shutdown did not complete", e);
      return ExitCodes.FAILED;
    }
  }

  // The very last steps of the process: close Vert.x (never from an event loop), say goodbye,
  // then stop logging — nothing may log after this.
  private static int exit(int code, Vertx vertx) {
    if (vertx != null) {
      try {
        await(vertx.close(), Duration.ofSeconds(5));
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      }
    }
    LOG.info("Exiting with code {}", code);
    LogManager.shutdown();
    return code;
  }

  /**
   * Starts the runtime in this process without touching signals or exiting: for tests and for
   * embedding in a larger program. Fails with {@link ConfigException} on bad configuration, or
   * with the startup error after rollback.
   */
  public Future<QuiesceRuntime> start(ConfigRequest request) {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    merged.putAll(request.applicationDefaults());
    return launch(new ConfigRequest(request.file(), request.env(), request.overrides(), merged), lifecycle -> {});
  }

  private Future<QuiesceRuntime> launch(ConfigRequest request, Consumer<LifecycleManager> beforeStart) {
    long startNanos = System.nanoTime();
    Vertx vertx = Vertx.vertx();
    return ConfigLoader.load(vertx, schema, request)
        .compose(config -> {
          try {
            QuiesceRuntime runtime = assemble(vertx, config, startNanos);
            beforeStart.accept(runtime.lifecycle());
            return runtime.events().start()
                .compose(v -> runtime.lifecycle().start())
                .recover(e -> runtime.events().hub().close().transform(x -> Future.failedFuture(e)))
                .map(runtime);
          } catch (Exception e) {
            return Future.failedFuture(e);
          }
        })
        .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
  }

  private QuiesceRuntime assemble(Vertx vertx, LoadedConfig config, long startNanos) throws Exception {
    config.warnings().forEach(w -> LOG.warn("Configuration: {}", w));
    RuntimeSettings s = RuntimeSettings.from(config);
    Configurator.setRootLevel(Level.valueOf(s.logLevel()));
    if (!s.drainDelay().plus(s.drainTimeout()).minus(s.shutdownTimeout()).isNegative()) {
      LOG.warn("server.drain_delay + server.drain_timeout ({} ms) leave no part of server.shutdown_timeout ({} ms) to shutdown callbacks and service stops",
          s.drainDelay().plus(s.drainTimeout()).toMillis(), s.shutdownTimeout().toMillis());
    }

    RuntimeClock clock = new VertxClock(vertx);
    LifecycleManager lifecycle = new LifecycleManager(clock,
        new LifecyclePolicy(s.shutdownTimeout(), s.drainDelay(), s.drainTimeout(), s.stopTimeout()));
    HealthModel healthModel = new HealthModel(clock, lifecycle::state, HealthPolicy.from(config));
    Supervisor supervisor = new Supervisor(lifecycle, healthModel, clock, restartPolicy(config));
    HookRunner hooks = new HookRunner(vertx, clock, HookSet.load(config, System.getenv("PATH")), s.serviceName(),
        config.get(RuntimeKeys.HOOKS_TIMEOUT), config.get(RuntimeKeys.HOOKS_KILL_GRACE));
    Router router = Router.router(vertx);
    List<String> untracked = List.of(HealthRoutes.PREFIX, LifecycleRoutes.PREFIX);
    router.route().order(Integer.MIN_VALUE)
        .handler(new RequestTracker(lifecycle.tracker(), healthModel.requests(), untracked, s.retryAfter()));
    HealthChecks checks = HealthChecks.create(vertx);
    HealthRoutes health = new HealthRoutes(lifecycle, checks, healthModel, s.serviceVersion(), startNanos);
    health.mount(router);

    HttpEndpoint endpoint = new HttpEndpoint(vertx, s.host(), s.port(), router,
        new ConnectionDrain(lifecycle.tracker(), s.idleGrace()));
    lifecycle.register(endpoint);
    lifecycle.addDrainParticipant(endpoint);
    LifecycleHooks.registerStart(hooks, lifecycle, supervisor, config.get(RuntimeKeys.HOOKS_ON_START_REQUIRED));

    LifecycleEvents events = events(vertx, s, EventSettings.from(config), lifecycle, healthModel, endpoint);
    new LifecycleRoutes(events, config.get(EventKeys.REPLAY_SIZE)).mount(router);

    QuiesceRuntime runtime = new QuiesceRuntime(vertx, config, s, lifecycle, router, checks, endpoint, healthModel,
        supervisor, events);
    setup.configure(runtime);
    health.registerServiceChecks();
    supervisor.watchServices();
    lifecycle.addListener(t -> healthModel.evaluate());
    // The error rate changes with time alone: re-evaluate now and then so its transitions are logged.
    vertx.setPeriodic(HEALTH_EVALUATION.toMillis(), id -> healthModel.evaluate());
    lifecycle.addListener(t -> {
      if (t.to() == LifecycleState.RUNNING) {
        // One stable line, once: what Testcontainers' log wait strategies and scripts look for.
        LOG.info("Ready. {} {} listening on http://{}:{} (started in {} ms)", s.serviceName(), s.serviceVersion(),
            s.host(), endpoint.actualPort(), sinceJvmStart());
      }
    });
    LifecycleHooks.install(hooks, lifecycle, supervisor); // after the Ready line's listener: on_ready hooks follow it
    return runtime;
  }

  // Events run on one Vert.x context, so subscribers (registry, discovery, group restart) never race.
  private static LifecycleEvents events(Vertx vertx, RuntimeSettings s, EventSettings es, LifecycleManager lifecycle,
      HealthModel health, HttpEndpoint endpoint) {
    Context context = vertx.getOrCreateContext();
    EventHub hub = new EventHub(task -> context.runOnContext(v -> task.run()), new ReplayBuffer(es.replaySize()));
    hub.addTransport(new EventBusTransport(vertx, es.prefix()));
    VertxClock clock = new VertxClock(vertx);
    String advertised = s.host().equals("0.0.0.0") || s.host().equals("::") ? "127.0.0.1" : s.host();
    return new LifecycleEvents(hub, ServiceIdentity.of(s.serviceName(), s.serviceVersion(), clock), es, clock,
        Clock.systemUTC(), lifecycle,
        () -> new LoadSnapshot(health.evaluate().state().name().toLowerCase(), lifecycle.tracker().inFlight(),
            health.requests().totalRequests(), health.requests().totalErrors()),
        () -> "http://" + (advertised.contains(":") ? "[" + advertised + "]" : advertised) + ":" + endpoint.actualPort());
  }

  /** The configured default restart policy; a backoff_max below backoff_initial is a configuration problem. */
  private static RestartPolicy restartPolicy(LoadedConfig config) {
    try {
      return RestartPolicy.from(config);
    } catch (IllegalArgumentException e) {
      ConfigKey<Duration> key = RuntimeKeys.SUPERVISION_BACKOFF_MAX;
      String value = key.format(config.get(key));
      throw new ConfigException(List.of(new ConfigProblem(key.path(), value, config.origin(key), key.path() + " = \""
          + value + "\" (" + config.origin(key) + "): expected at least supervision.backoff_initial ("
          + RuntimeKeys.SUPERVISION_BACKOFF_INITIAL.format(config.get(RuntimeKeys.SUPERVISION_BACKOFF_INITIAL)) + ")")));
    }
  }

  // The JVM's own start time (ms precision); ProcessHandle's start instant is only as precise as
  // the kernel's boot time in whole seconds.
  private static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  private static void reportConfigProblems(ConfigException e, PrintStream err) {
    err.println("Invalid configuration (nothing was started):");
    e.problems().forEach(p -> err.println("  - " + p));
  }

  private static <T> T await(Future<T> future, Duration limit) throws TimeoutException {
    return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }
}
