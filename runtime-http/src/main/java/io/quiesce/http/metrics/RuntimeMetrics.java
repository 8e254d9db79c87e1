package io.quiesce.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.quiesce.api.LifecycleState;
import io.quiesce.http.routing.RuntimePaths;
import io.quiesce.http.tracking.RequestTracker;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.ServiceStatus;
import io.quiesce.supervision.SupervisionListener;
import io.quiesce.supervision.Supervisor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The runtime's metrics, served in Prometheus text format at {@link #PATH}: its own gauges
 * ({@code quiesce_*}) and Vert.x's HTTP server metrics ({@code vertx_http_server_*}).
 *
 * <p>When metrics are disabled nothing is served and no Prometheus registry exists;
 * {@link #registry()} is then a registry that keeps nothing, so emulator code registering meters
 * needs no branch. Gauges are read when scraped: nothing here runs on the request path.
 */
public final class RuntimeMetrics {

  /** Path of the scrape endpoint, a runtime route: never counted, never refused, also while draining. */
  public static final String PATH = RuntimePaths.METRICS;

  private static final String REJECTED_HELP =
      "requests answered 503: reason=draining while shutting down, reason=starting before ready";

  private final PrometheusMeterRegistry prometheus;
  private final boolean vertxHttp;
  /** Without Prometheus, a registry that keeps nothing, made when first asked for (Micrometer's start-up is not free). */
  private MeterRegistry registry;
  private final AtomicLong shutdownStartNanos = new AtomicLong();
  private final AtomicLong shutdownEndNanos = new AtomicLong();

  private RuntimeMetrics(PrometheusMeterRegistry prometheus, boolean vertxHttp) {
    this.prometheus = prometheus;
    this.vertxHttp = vertxHttp;
    this.registry = prometheus;
  }

  /**
   * Metrics reported to a Prometheus registry when {@code enabled}. Vert.x's per-request HTTP
   * server metrics only with {@code vertxHttp}: they build tags and look up meters on every
   * request (measured with bench/run-all: about 670 bytes allocated per request), which the
   * runtime's own meters, read at scrape time, do not.
   */
  public static RuntimeMetrics create(boolean enabled, boolean vertxHttp) {
    if (!enabled) {
      return new RuntimeMetrics(null, vertxHttp);
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    prometheus.config().meterFilter(MeterFilter.deny(id -> EVENT_BUS_HANDLER_GAUGES.contains(id.getName())));
    return new RuntimeMetrics(prometheus, vertxHttp);
  }

  /**
   * Left out: vertx-micrometer-metrics 5.2.3 registers these two gauges again for every event bus
   * handler ({@code LongGaugeBuilder.register} calls {@code Gauge.Builder.register} each time, the
   * value being shared through its own map of adders). Without the address label, which it leaves
   * off by default, every handler has the same meter id, and from the second handler on Micrometer
   * (1.17) warns "This Gauge has been already registered" — at every start, since the runtime
   * and Vert.x register more than one handler. A denied meter is never registered, so nothing is
   * registered twice; the event bus counters ({@code vertx_eventbus_sent_total}, ...) stay.
   */
  private static final Set<String> EVENT_BUS_HANDLER_GAUGES = Set.of("vertx.eventbus.handlers", "vertx.eventbus.pending");

  /**
   * A builder of a Vert.x with {@code options} that reports to these metrics (a plain one when
   * disabled).
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    if (prometheus == null) {
      return Vertx.builder().with(options);
    }
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true);
    if (!vertxHttp) {
      metrics.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    }
    return Vertx.builder()
        .with(options.setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(prometheus));
  }

  public boolean enabled() {
    return prometheus != null;
  }

  /** Where emulators add their own meters; keeps nothing when metrics are disabled. */
  public synchronized MeterRegistry registry() {
    if (registry == null) {
      registry = new CompositeMeterRegistry();
    }
    return registry;
  }

  /**
   * Reports {@code quiesce_connection_up{target}}: 1 while {@code up} says the emulator's
   * connection to {@code target} (a backing store, an upstream) is usable, else 0. Read at each
   * scrape, from the scraping thread: {@code up} must be cheap and thread-safe.
   */
  public void connection(String target, BooleanSupplier up) {
    Gauge.builder("quiesce.connection.up", up, s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while the emulator's connection to the target is usable")
        .tag("target", target)
        .register(registry());
  }

  /** Registers the lifecycle, request, restart and shutdown meters. Call once the services are registered. */
  public void bind(LifecycleManager lifecycle, RequestTracker requests, Supervisor supervisor) {
    if (prometheus == null) {
      return;
    }
    for (LifecycleState state : LifecycleState.values()) {
      Gauge.builder("quiesce.lifecycle.state", lifecycle, l -> l.state() == state ? 1 : 0)
          .description("1 for the current lifecycle state, 0 for the others")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .register(prometheus);
    }
    for (String service : lifecycle.services().statuses().keySet()) {
      Gauge.builder("quiesce.service.up", lifecycle, l -> l.services().statuses().get(service) == ServiceStatus.RUNNING ? 1 : 0)
          .description("1 while the managed service runs")
          .tag("service", service)
          .register(prometheus);
      // Registered up front, so the series exists (at 0) before the first restart.
      Counter.builder("quiesce.service.restarts")
          .description("times the supervisor restarted the managed service (successful or not)")
          .tag("service", service)
          .register(prometheus);
    }
    supervisor.addListener(new SupervisionListener() {
      @Override
      public void onRestart(String service, int restarts, String reason, boolean succeeded) {
        prometheus.counter("quiesce.service.restarts", "service", service).increment();
      }
    });
    Gauge.builder("quiesce.requests.in_flight", lifecycle, l -> l.tracker().inFlight())
        .description("requests being served now")
        .register(prometheus);
    FunctionCounter.builder("quiesce.requests.rejected", requests, RequestTracker::refusedWhileDraining)
        .description(REJECTED_HELP)
        .tag("reason", "draining")
        .register(prometheus);
    FunctionCounter.builder("quiesce.requests.rejected", requests, RequestTracker::refusedWhileStarting)
        .description(REJECTED_HELP)
        .tag("reason", "starting")
        .register(prometheus);
    lifecycle.onTransition(t -> {
      if (t.to() == LifecycleState.DRAINING || (t.to() == LifecycleState.STOPPING && t.from() != LifecycleState.DRAINING)) {
        shutdownStartNanos.compareAndSet(0, System.nanoTime());
      } else if (t.to() == LifecycleState.STOPPED) {
        shutdownEndNanos.compareAndSet(0, System.nanoTime());
      }
    });
    Gauge.builder("quiesce.shutdown.duration", this, RuntimeMetrics::shutdownSeconds)
        .description("time spent shutting down: growing while it runs, the total once stopped, 0 before")
        .baseUnit("seconds")
        .register(prometheus);
  }

  private double shutdownSeconds() {
    long start = shutdownStartNanos.get();
    if (start == 0) {
      return 0;
    }
    long end = shutdownEndNanos.get();
    return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
  }

  /** Serves {@link #PATH} when enabled, on {@code own}, the router of the runtime's namespace ({@link RuntimePaths#mountOwnRouter}). */
  public void mount(Router own) {
    if (prometheus != null) {
      own.get(RuntimePaths.below(PATH)).handler(PrometheusScrapingHandler.create(prometheus));
    }
  }
}
