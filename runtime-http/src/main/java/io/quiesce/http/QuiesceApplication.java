package io.quiesce.http;

import io.quiesce.cli.Launchable;
import io.quiesce.cli.QuiesceCli;
import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.config.SupervisionOverride;
import io.quiesce.events.ClusterSettings;
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
import io.quiesce.http.cluster.ClusteredVertx;
import io.quiesce.http.drain.ConnectionDrain;
import io.quiesce.http.events.LifecycleRoutes;
import io.quiesce.http.health.HealthRoutes;
import io.quiesce.http.metrics.RuntimeMetrics;
import io.quiesce.http.tracking.RequestTracker;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.lifecycle.LifecycleState;
import io.quiesce.lifecycle.StartupAbortedException;
import io.quiesce.logging.LogSettings;
import io.quiesce.logging.StartupFailure;
import io.quiesce.process.PidFile;
import io.quiesce.process.ShutdownRecord;
import io.quiesce.process.StateFiles;
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
import io.vertx.core.VertxOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import java.io.IOException;
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
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

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
  /** Most of shutdown_timeout kept back for closing Vert.x, logging and the JVM's exit. */
  private static final Duration EXIT_MARGIN = Duration.ofMillis(100);
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
        Vertx vertx = Vertx.vertx();
        try {
          return await(ConfigLoader.load(vertx, schema, request), Duration.ofSeconds(30));
        } finally {
          vertx.close();
        }
      }

      @Override
      public int runForeground(ConfigRequest request) {
        return runUntilStopped(request);
      }
    };
    return new QuiesceCli(name, version, defaults, launchable, System.getenv(), System.out, System.err, subcommands).execute(args);
  }

  private int runUntilStopped(ConfigRequest request) {
    AtomicReference<QuiesceRuntime> assembled = new AtomicReference<>();
    QuiesceRuntime runtime;
    try {
      runtime = await(launch(request, rt -> {
        assembled.set(rt);
        new SignalBridge(rt.lifecycle(), JvmHooks.SYSTEM, FORCE_GRACE, LogManager::shutdown).install();
        rt.reloader().installOn(JvmHooks.SYSTEM);
      }), Duration.ofDays(3650));
    } catch (ConfigException e) {
      QuiesceCli.reportConfigProblems(e, System.err);
      return ExitCodes.BAD_CONFIG;
    } catch (StartupAbortedException e) {
      // Stopped by a signal while starting: not a failure, the shutdown report decides.
      return exit(awaitReport(assembled.get()), null);
    } catch (Exception e) {
      // One line for what the user can fix (a taken port, an unusable directory); a bug keeps its trace.
      RuntimeSettings s = assembled.get() == null ? null : assembled.get().settings();
      StartupFailure.oneLine(e, s == null ? null : s.host(), s == null ? 0 : s.port()).ifPresentOrElse(
          line -> LOG.error("Startup failed: {}", line), () -> LOG.error("Startup failed: {}", e.getMessage(), e));
      return exit(ExitCodes.FAILED, null);
    }
    int code = awaitReport(runtime);
    try {
      // The shutdown event goes out before Vert.x closes; bounded, a stuck transport never holds the exit.
      await(runtime.events().whenClosed(), Duration.ofSeconds(5));
    } catch (Exception e) {
      LOG.warn("Events did not close in time: {}", e.toString());
    }
    return exit(code, runtime.vertx());
  }

  /** Waits for the shutdown report, keeps it in the state directory, and gives the exit code. */
  private static int awaitReport(QuiesceRuntime runtime) {
    try {
      ShutdownReport report = await(runtime.lifecycle().whenStopped(), Duration.ofDays(3650));
      StateFiles files = StateFiles.from(runtime.settings());
      ShutdownRecord.writeIfStateDirExists(files, report);
      releasePidFile(files);
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

  /** A background instance removes its own PID file on its way out, so status then says "not running". */
  private static void releasePidFile(StateFiles files) {
    try {
      new PidFile(files.pidFile()).deleteIfNames(ProcessHandle.current().pid());
    } catch (IOException e) {
      LOG.warn("Could not remove the PID file {}: {}", files.pidFile(), e.toString());
    }
  }

  /**
   * Starts the runtime in this process without touching signals or exiting: for tests and for
   * embedding in a larger program. Fails with {@link ConfigException} on bad configuration, or
   * with the startup error after rollback.
   */
  public Future<QuiesceRuntime> start(ConfigRequest request) {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    merged.putAll(request.applicationDefaults());
    return launch(new ConfigRequest(request.file(), request.env(), request.overrides(), merged), runtime -> {});
  }

  /*
   * Configuration is read with a short-lived Vert.x, because the runtime's own Vert.x can only be
   * given its metrics when it is created, and whether there are metrics is configuration.
   */
  private Future<QuiesceRuntime> launch(ConfigRequest request, Consumer<QuiesceRuntime> beforeStart) {
    long startNanos = System.nanoTime();
    Vertx configVertx = Vertx.vertx();
    Future<LoadedConfig> loaded = ConfigLoader.load(configVertx, schema, request);
    Future<QuiesceRuntime> launched = loaded.compose(config -> {
      RuntimeMetrics metrics = RuntimeMetrics.create(config.get(RuntimeKeys.METRICS_ENABLED), config.get(RuntimeKeys.METRICS_VERTX_HTTP));
      return createVertx(config, metrics).compose(vertx -> {
        try {
          QuiesceRuntime runtime = assemble(vertx, config, request, metrics, startNanos);
          beforeStart.accept(runtime);
          return runtime.events().start()
              .compose(v -> runtime.lifecycle().start())
              .recover(e -> runtime.events().hub().close().transform(x -> Future.failedFuture(e)))
              .map(runtime)
              .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
        } catch (Exception e) {
          return vertx.close().transform(ignored -> Future.failedFuture(e));
        }
      });
    });
    // Registered after compose, so it runs after assembly; not waited for: a Vert.x never waits
    // on its own close from its event loop.
    loaded.onComplete(ignored -> configVertx.close());
    return launched;
  }

  /**
   * The runtime's Vert.x: clustered (its event bus reaching the other members) with
   * {@code cluster.enabled}, else local. Hazelcast's classes are loaded only in the first case.
   */
  private static Future<Vertx> createVertx(LoadedConfig config, RuntimeMetrics metrics) {
    ClusterSettings cluster = ClusterSettings.from(config);
    if (cluster.enabled()) {
      LOG.info("Joining the event cluster {} on {}:{} (members: {})", cluster.name(), cluster.host(), cluster.port(),
          cluster.members().isEmpty() ? "none yet" : String.join(", ", cluster.members()));
      return ClusteredVertx.join(cluster, metrics);
    }
    return Future.succeededFuture(metrics.vertxBuilder(new VertxOptions()).build());
  }

  private QuiesceRuntime assemble(Vertx vertx, LoadedConfig config, ConfigRequest request, RuntimeMetrics metrics,
      long startNanos) throws Exception {
    RuntimeSettings s = RuntimeSettings.from(config);
    LogSettings.apply(s.logFormat(), s.logLevel());
    config.warnings().forEach(w -> LOG.warn("Configuration: {}", w));
    if (!s.drainDelay().plus(s.drainTimeout()).minus(s.shutdownTimeout()).isNegative()) {
      LOG.warn("server.drain_delay + server.drain_timeout ({} ms) leave no part of server.shutdown_timeout ({} ms) to shutdown callbacks and service stops",
          s.drainDelay().plus(s.drainTimeout()).toMillis(), s.shutdownTimeout().toMillis());
    }

    RuntimeClock clock = new VertxClock(vertx);
    LifecycleManager lifecycle = new LifecycleManager(clock,
        new LifecyclePolicy(sequenceBudget(s.shutdownTimeout()), s.drainDelay(), s.drainTimeout(), s.stopTimeout()));
    HealthModel healthModel = new HealthModel(clock, lifecycle::state, HealthPolicy.from(config));
    Supervisor supervisor = new Supervisor(lifecycle, healthModel, clock, restartPolicy(config));
    String pathEnv = System.getenv("PATH");
    HookRunner hooks = new HookRunner(vertx, clock, HookSet.load(config, pathEnv), s.serviceName(),
        config.get(RuntimeKeys.HOOKS_TIMEOUT), config.get(RuntimeKeys.HOOKS_KILL_GRACE));
    Router router = Router.router(vertx);
    List<String> untracked = List.of(HealthRoutes.PREFIX, LifecycleRoutes.PREFIX, RuntimeMetrics.PATH);
    RequestTracker tracker = new RequestTracker(lifecycle.tracker(), healthModel.requests(), untracked, s.retryAfter());
    router.route().order(Integer.MIN_VALUE).handler(tracker);
    HealthChecks checks = HealthChecks.create(vertx);
    HealthRoutes health = new HealthRoutes(lifecycle, checks, healthModel, s.serviceVersion(), startNanos);
    health.mount(router);
    metrics.mount(router);

    HttpEndpoint endpoint = new HttpEndpoint(vertx, s.host(), s.port(), router,
        new ConnectionDrain(lifecycle.tracker(), s.idleGrace()));
    lifecycle.register(endpoint);
    lifecycle.addDrainParticipant(endpoint);
    LifecycleHooks.registerStart(hooks, lifecycle, supervisor, config.get(RuntimeKeys.HOOKS_ON_START_REQUIRED));

    LifecycleEvents events = events(vertx, s, EventSettings.from(config), lifecycle, healthModel, endpoint);
    publishHealthChanges(healthModel, events);
    new LifecycleRoutes(events, config.get(EventKeys.REPLAY_SIZE)).mount(router);

    QuiesceRuntime runtime = new QuiesceRuntime(vertx, config, s, lifecycle, router, checks, endpoint, healthModel,
        supervisor, events, metrics, new ConfigReloader(vertx, schema, request, config, healthModel, hooks, pathEnv));
    setup.configure(runtime);
    health.registerServiceChecks();
    watchServices(supervisor, config);
    metrics.bind(lifecycle, tracker, supervisor);
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

  /** Every change of overall health, and of each component's status, as a {@code health} event. */
  private static void publishHealthChanges(HealthModel health, LifecycleEvents events) {
    health.addListener(t -> events.health(null, t.from() == null ? null : lower(t.from()), lower(t.to()), t.reasons()));
    health.addComponentListener(t -> events.health(t.component(), lower(t.from()), lower(t.to()),
        t.error() == null ? List.of() : List.of(t.error())));
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Starts watching services with {@code supervision.services}; one naming no managed service is a configuration problem. */
  private static void watchServices(Supervisor supervisor, LoadedConfig config) {
    ConfigKey<List<SupervisionOverride>> key = RuntimeKeys.SUPERVISION_SERVICES;
    try {
      supervisor.watchServices(config.get(key));
    } catch (IllegalArgumentException e) {
      String value = key.format(config.get(key));
      throw new ConfigException(List.of(new ConfigProblem(key.path(), value, config.origin(key),
          key.path() + " = \"" + value + "\" (" + config.origin(key) + "): " + e.getMessage())));
    }
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

  /**
   * The part of {@code shutdown_timeout} the shutdown sequence may use: the rest (a tenth, at most
   * 100 ms) is kept for what follows it — closing Vert.x, the last log lines, the JVM's exit — so
   * that the process is gone when the timeout says, not some tens of milliseconds later.
   */
  static Duration sequenceBudget(Duration shutdownTimeout) {
    Duration margin = shutdownTimeout.dividedBy(10);
    return shutdownTimeout.minus(margin.compareTo(EXIT_MARGIN) < 0 ? margin : EXIT_MARGIN);
  }

  // The JVM's own start time (ms precision); ProcessHandle's start instant is only as precise as
  // the kernel's boot time in whole seconds.
  private static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  private static <T> T await(Future<T> future, Duration limit) throws TimeoutException {
    return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }
}
