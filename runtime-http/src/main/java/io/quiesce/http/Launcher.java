package io.quiesce.http;

import io.quiesce.api.EmulatorSetup;
import io.quiesce.api.LifecycleState;
import io.quiesce.api.QuiesceApplication;
import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.OnDemandVertx;
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
import io.quiesce.http.cluster.ClusterTransport;
import io.quiesce.http.drain.ConnectionTimeouts;
import io.quiesce.http.drain.HttpDrain;
import io.quiesce.http.events.LifecycleRoutes;
import io.quiesce.http.health.HealthRoutes;
import io.quiesce.http.metrics.RuntimeMetrics;
import io.quiesce.http.routing.DotSegments;
import io.quiesce.http.routing.NonPathTargets;
import io.quiesce.http.routing.RuntimeDispatch;
import io.quiesce.http.routing.RuntimePaths;
import io.quiesce.http.tracking.RequestTracker;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.LifecyclePolicy;
import io.quiesce.logging.LogSettings;
import io.quiesce.supervision.RestartPolicy;
import io.quiesce.supervision.Supervisor;
import io.quiesce.time.RuntimeClock;
import io.quiesce.time.VertxClock;
import io.quiesce.tls.TlsSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Builds and starts one runtime from validated configuration: its Vert.x, the
 * lifecycle, health, supervision, hooks, events, routes and the HTTP drain, then the emulator's
 * setup, in that order. Internal: emulators use {@code io.quiesce.api.QuiesceApplication}.
 */
public final class Launcher {

  private static final Logger LOG = LogManager.getLogger(Launcher.class);
  /** Most of shutdown_timeout kept back for closing Vert.x, logging and the JVM's exit. */
  private static final Duration EXIT_MARGIN = Duration.ofMillis(100);
  /** How often health is re-evaluated when nothing else asks. */
  private static final Duration HEALTH_EVALUATION = Duration.ofSeconds(5);
  /** Vert.x's own switch for class-path resolving (its default: resolving on); the runtime defaults it to off. */
  static final String CLASS_PATH_FILES = "vertx.disableFileCPResolving";

  private final ConfigSchema schema;
  private final EmulatorSetup setup;

  public Launcher(ConfigSchema schema, EmulatorSetup setup) {
    this.schema = schema;
    this.setup = setup;
  }

  /*
   * A file and key material are read with a short-lived Vert.x, because the runtime's own Vert.x can
   * only be given its metrics when it is created, and whether there are metrics is configuration.
   * Without a file and TLS (the default) none is made.
   */
  public Future<RuntimeInstance> launch(ConfigRequest request, Consumer<RuntimeInstance> beforeStart) {
    long startNanos = System.nanoTime();
    StartupPreload preload = StartupPreload.start();
    OnDemandVertx configVertx = new OnDemandVertx();
    Future<LoadedConfig> loaded = ConfigLoader.load(configVertx, schema, request);
    // Key material is read and checked (a development certificate generated) before anything binds:
    // a bad file is a configuration error.
    Future<TlsSettings> tlsLoaded = loaded.compose(config -> tls(config, request, configVertx));
    Future<RuntimeInstance> launched = tlsLoaded.compose(tls -> {
      LoadedConfig config = loaded.result();
      RuntimeMetrics metrics = RuntimeMetrics.create(config.get(RuntimeKeys.METRICS_ENABLED), config.get(RuntimeKeys.METRICS_VERTX_HTTP));
      // Always a local Vert.x: with cluster.enabled events reach other processes through a
      // ClusterTransport that joins beside it, so start-up never waits for the cluster.
      Vertx vertx = metrics.vertxBuilder(new VertxOptions().setFileSystemOptions(fileSystemOptions())).build();
      try {
        RuntimeInstance runtime = assemble(vertx, config, tls, request, metrics, startNanos, preload);
        beforeStart.accept(runtime);
        // The server listens before the services start, so health answers (and the rest is
        // refused with 503) while they do.
        return runtime.events().start()
            .compose(v -> runtime.lifecycle().start("listening on " + runtime.settings().host() + ":"
                + runtime.settings().port(), () -> runtime.http().listen()))
            .recover(e -> runtime.http().close().transform(x -> Future.failedFuture(e)))
            .recover(e -> runtime.events().hub().close().transform(x -> Future.failedFuture(e)))
            .map(runtime)
            .recover(e -> vertx.close().transform(ignored -> Future.failedFuture(e)));
      } catch (Exception e) {
        return vertx.close().transform(ignored -> Future.failedFuture(e));
      }
    });
    // Registered after compose, so it runs after assembly; not waited for: a Vert.x never waits
    // on its own close from its event loop.
    tlsLoaded.onComplete(ignored -> configVertx.close());
    return launched;
  }

  /**
   * Vert.x's file system without class-path resolving unless {@value #CLASS_PATH_FILES} is set to
   * {@code false}: with it, every Vert.x made a uniquely named cache directory for class-path files
   * at start (a random UUID, whose {@code SecureRandom} set up the JDK's security providers: about
   * 11 ms of every start) and a JVM shutdown hook to delete it. An emulator reads its files from
   * the file system, and class-path resources through its class loader.
   */
  static FileSystemOptions fileSystemOptions() {
    boolean classPath = !Boolean.parseBoolean(System.getProperty(CLASS_PATH_FILES, "true"));
    return new FileSystemOptions().setClassPathResolvingEnabled(classPath);
  }

  /**
   * The TLS settings; with TLS on, read on a thread of no Vert.x (it reads files and may run keytool
   * for seconds), so that the assembly that follows runs, as without TLS, outside any Vert.x context.
   */
  private static Future<TlsSettings> tls(LoadedConfig config, ConfigRequest request, OnDemandVertx configVertx) {
    if (!config.get(RuntimeKeys.SERVER_TLS_ENABLED)) {
      return Future.succeededFuture(TlsSettings.OFF);
    }
    Vertx vertx = configVertx.get();
    return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> TlsSettings.load(config, request.env(), vertx)))
        .recover(e -> Future.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
  }

  private RuntimeInstance assemble(Vertx vertx, LoadedConfig config, TlsSettings tls, ConfigRequest request,
      RuntimeMetrics metrics, long startNanos, StartupPreload preload) throws Exception {
    RuntimeSettings s = RuntimeSettings.from(config);
    LogSettings.apply(s.logFormat(), s.logLevel());
    config.warnings().forEach(w -> LOG.warn("Configuration: {}", w));
    tls.description().ifPresent(LOG::info);
    tls.warnings().forEach(LOG::warn);
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
    // The runtime's routes on a router of their own, chosen before the emulator's by the path.
    Router runtimeRouter = Router.router(vertx);
    Router own = RuntimePaths.mountOwnRouter(vertx, runtimeRouter);
    HealthChecks checks = HealthChecks.create(vertx);
    HealthRoutes health = new HealthRoutes(lifecycle, checks, healthModel, s.serviceVersion(), startNanos);
    boolean healthAliases = config.get(RuntimeKeys.SERVER_HEALTH_ALIASES);
    health.mount(vertx, own, runtimeRouter, healthAliases);
    metrics.mount(own);

    // HTTP/2 next to HTTP/1.1 with server.http2 (on by default): h2c with prior knowledge (an
    // HTTP/1.1 request asking to upgrade is upgraded too), h2 through ALPN when TLS is on.
    boolean http2 = config.get(RuntimeKeys.SERVER_HTTP2);
    HttpServerOptions serverOptions = tls.applyTo(new HttpServerOptions().setHost(s.host()).setPort(s.port())
        .setHttp2ClearTextEnabled(http2).setUseAlpn(http2));
    // Admission: the runtime's routes end their response and are never counted or refused; every
    // other request passes the tracker, then reaches the emulator's router.
    RequestTracker tracker = new RequestTracker(lifecycle.tracker(), healthModel.requests(), s.retryAfter(), router,
        HttpDrain::tellWhenAnswered);
    HttpDrain http = new HttpDrain(vertx, serverOptions, NonPathTargets.answeredBefore(DotSegments.refusedBefore(
        RuntimeDispatch.between(runtimeRouter, tracker, healthAliases))), lifecycle.tracker(),
        new ConnectionTimeouts(s.headerReadTimeout(), s.idleTimeout(), s.idleGrace()));
    http.addTo(lifecycle);
    LifecycleHooks.registerStart(hooks, lifecycle, supervisor, config.get(RuntimeKeys.HOOKS_ON_START_REQUIRED));

    EventSettings eventSettings = EventSettings.from(config);
    LifecycleEvents events = events(vertx, s, tls.scheme(), eventSettings, lifecycle, healthModel, http);
    ClusterSettings cluster = ClusterSettings.from(config);
    if (cluster.enabled()) { // Hazelcast's classes are loaded only then
      Promise<Void> running = Promise.promise();
      lifecycle.onTransition(t -> {
        if (t.to() == LifecycleState.RUNNING) {
          running.tryComplete();
        }
      });
      events.hub().addTransport(new ClusterTransport(cluster, eventSettings.prefix(), running.future()));
    }
    publishHealthChanges(healthModel, events);
    new LifecycleRoutes(events, config.get(EventKeys.REPLAY_SIZE), config.get(EventKeys.HTTP_RESTART)).mount(own);
    RuntimePaths.reserveRest(own);

    RuntimeInstance runtime = new RuntimeInstance(vertx, config, s, lifecycle, router, checks, http, healthModel,
        supervisor, events, metrics, new ConfigReloader(vertx, schema, request, config, healthModel, hooks, pathEnv));
    setup.configure(runtime);
    health.registerServiceChecks();
    watchServices(supervisor, config);
    metrics.bind(lifecycle, tracker, supervisor);
    lifecycle.onTransition(t -> healthModel.evaluate());
    // The error rate changes with time alone: re-evaluate now and then so its transitions are logged
    // (each evaluation also moves the request statistics' error window on by one step).
    long evaluateEvery = Math.max(1, Math.min(HEALTH_EVALUATION.toMillis(), healthModel.requests().windowStep().toMillis()));
    vertx.setPeriodic(evaluateEvery, id -> healthModel.evaluate());
    lifecycle.onTransition(t -> {
      if (t.to() == LifecycleState.RUNNING) {
        // One stable line, once: what Testcontainers' log wait strategies and scripts look for.
        LOG.info("Ready. {} {} listening on {}://{}:{} (started in {} ms)", s.serviceName(), s.serviceVersion(),
            tls.scheme(), s.host(), http.actualPort(), System.currentTimeMillis() - preload.jvmStartMillis());
      }
    });
    LifecycleHooks.install(hooks, lifecycle, supervisor); // after the Ready line's listener: on_ready hooks follow it
    return runtime;
  }

  // Events run on one Vert.x context, so subscribers (registry, discovery, group restart) never race.
  private static LifecycleEvents events(Vertx vertx, RuntimeSettings s, String scheme, EventSettings es,
      LifecycleManager lifecycle, HealthModel health, HttpDrain http) {
    Context context = vertx.getOrCreateContext();
    EventHub hub = new EventHub(task -> context.runOnContext(v -> task.run()), new ReplayBuffer(es.replaySize()));
    hub.addTransport(new EventBusTransport(vertx, es.prefix()));
    VertxClock clock = new VertxClock(vertx);
    String advertised = s.host().equals("0.0.0.0") || s.host().equals("::") ? "127.0.0.1" : s.host();
    return new LifecycleEvents(hub, ServiceIdentity.of(s.serviceName(), s.serviceVersion(), clock), es, clock,
        Clock.systemUTC(), lifecycle,
        () -> new LoadSnapshot(health.evaluate().state().name().toLowerCase(), lifecycle.tracker().inFlight(),
            health.requests().totalRequests(), health.requests().totalErrors()),
        () -> scheme + "://" + (advertised.contains(":") ? "[" + advertised + "]" : advertised) + ":" + http.actualPort());
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
    Duration margin = Duration.ofNanos(shutdownTimeout.toNanos() / 10); // Duration.dividedBy goes through BigDecimal: ms at start-up
    return shutdownTimeout.minus(margin.compareTo(EXIT_MARGIN) < 0 ? margin : EXIT_MARGIN);
  }

  static <T> T await(Future<T> future, Duration limit) throws TimeoutException {
    return future.await(limit.toMillis(), TimeUnit.MILLISECONDS);
  }
}
