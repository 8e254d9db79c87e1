package io.quiesce.supervision;

import io.quiesce.api.LifecycleState;
import io.quiesce.config.SupervisionOverride;
import io.quiesce.health.Component;
import io.quiesce.health.HealthModel;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.lifecycle.ServiceStatus;
import io.quiesce.time.Bounded;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Checks every managed service on its own interval while the runtime is RUNNING, reports each
 * check to the service's health component, and restarts failing services in place according to
 * their {@link RestartPolicy}.
 *
 * <p>Per service: a passed check resets the consecutive-failure count and the backoff; a failed
 * check (or {@link #fatal}) counts, and once the policy says so a restart is scheduled after the
 * backoff delay. Each restart is counted against the start limit; the restart that would exceed
 * it is not made: the service is stopped, marked FAILED and left down (its component FAILED, so
 * health is FAILING when it is critical). From the first instant of DRAINING nothing more is
 * checked or restarted, and {@link io.quiesce.lifecycle.ManagedServices#restart} refuses anyway.
 *
 * <p>Thread-safe; nothing here blocks. Configure with {@link #configure} before the runtime starts.
 */
public final class Supervisor {

  private static final Logger LOG = LogManager.getLogger(Supervisor.class);

  private final LifecycleManager lifecycle;
  private final HealthModel health;
  private final RuntimeClock clock;
  private final RestartPolicy defaults;
  private final Map<String, Setting> settings = new LinkedHashMap<>(); // guarded by this
  private final Map<String, Watch> watches = new LinkedHashMap<>(); // guarded by this
  private final List<SupervisionListener> listeners = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> ignored = new java.util.HashSet<>(); // guarded by this
  private boolean halted; // guarded by this

  private record Setting(RestartPolicy policy, boolean critical) {}

  public Supervisor(LifecycleManager lifecycle, HealthModel health, RuntimeClock clock, RestartPolicy defaults) {
    this.lifecycle = lifecycle;
    this.health = health;
    this.clock = clock;
    this.defaults = defaults;
    lifecycle.onTransition(t -> {
      if (t.to() == LifecycleState.RUNNING) {
        begin();
      } else if (t.from() == LifecycleState.RUNNING) {
        halt();
      }
    });
  }

  /**
   * Sets one service's policy and whether it is critical (a critical service down makes health
   * FAILING, another DEGRADED). Services not configured get the default policy and are critical.
   * Only before the runtime starts.
   */
  public synchronized void configure(String service, RestartPolicy policy, boolean critical) {
    if (!watches.isEmpty()) {
      throw new IllegalStateException("configure services before the runtime starts");
    }
    settings.put(service, new Setting(policy, critical));
  }

  /** Leaves a registered service out of supervision and health (a startup step, not a service). */
  public synchronized void ignore(String service) {
    ignored.add(service);
  }

  public void addListener(SupervisionListener listener) {
    listeners.add(listener);
  }

  /**
   * Creates a health component for every registered service, with the configuration's per-service
   * settings ({@code supervision.services}) applied over what {@link #configure} or the defaults
   * give it; call once all services are registered.
   *
   * @throws IllegalArgumentException naming an override whose service is not a supervised managed
   *     service; then nothing is watched
   */
  public synchronized void watchServices(List<SupervisionOverride> overrides) {
    Map<String, SupervisionOverride> byService = new LinkedHashMap<>();
    for (SupervisionOverride o : overrides) {
      if (!lifecycle.services().statuses().containsKey(o.service()) || ignored.contains(o.service())) {
        throw new IllegalArgumentException("no managed service named '" + o.service() + "' (managed services: "
            + String.join(", ", lifecycle.services().statuses().keySet().stream().filter(n -> !ignored.contains(n)).toList()) + ")");
      }
      byService.put(o.service(), o);
    }
    for (String name : lifecycle.services().statuses().keySet()) {
      if (ignored.contains(name)) {
        continue;
      }
      Setting s = settings.getOrDefault(name, new Setting(defaults, true));
      SupervisionOverride o = byService.get(name);
      RestartPolicy policy = o == null ? s.policy() : s.policy().with(o);
      if (o != null) {
        LOG.info("Service {} supervised with restart={} failure_threshold={} check_interval={} ms (supervision.services)",
            name, policy.mode().word(), policy.failureThreshold(), policy.checkInterval().toMillis());
      }
      watches.put(name, new Watch(name, policy, health.service(name, s.critical())));
    }
  }

  /** The policy a watched service is checked and restarted by, or null if it is not watched. */
  public synchronized RestartPolicy policy(String service) {
    Watch w = watches.get(service);
    return w == null ? null : w.policy;
  }

  /**
   * A service reports it cannot go on: counts as a failed check that, unless the policy is NEVER,
   * restarts the service at once (after its backoff) whatever the failure threshold.
   */
  public void fatal(String service, Throwable error) {
    Watch w;
    synchronized (this) {
      w = watches.get(service);
      if (w == null) {
        throw new IllegalArgumentException("no supervised service named '" + service + "'");
      }
    }
    w.failed(describe(error), true);
  }

  private void begin() {
    List<Watch> all;
    synchronized (this) {
      all = List.copyOf(watches.values());
    }
    all.forEach(w -> w.schedule(Duration.ZERO));
  }

  private void halt() {
    List<Watch> all;
    synchronized (this) {
      halted = true;
      all = List.copyOf(watches.values());
    }
    all.forEach(Watch::cancel);
  }

  private synchronized boolean halted() {
    return halted;
  }

  private static String describe(Throwable e) {
    return e == null ? "failed" : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** One supervised service; every field guarded by the Watch itself. */
  private final class Watch {
    final String name;
    final RestartPolicy policy;
    final Component component;
    final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
    RuntimeClock.Cancellable timer;
    int consecutiveFailures;
    int attemptsSinceHealthy;
    int restarts;
    boolean failing;
    boolean busy; // a restart is scheduled or under way: no checks meanwhile
    boolean gaveUp;

    Watch(String name, RestartPolicy policy, Component component) {
      this.name = name;
      this.policy = policy;
      this.component = component;
    }

    synchronized void schedule(Duration delay) {
      if (gaveUp || halted()) {
        return;
      }
      timer = clock.schedule(delay, this::check);
    }

    synchronized void cancel() {
      if (timer != null) {
        timer.cancel();
      }
    }

    void check() {
      synchronized (this) {
        if (busy || gaveUp || halted()) {
          return;
        }
      }
      Bounded.run(clock, policy.checkInterval(), () -> {
        ServiceStatus status = lifecycle.services().statuses().get(name);
        return status == ServiceStatus.RUNNING
            ? lifecycle.services().service(name).check()
            : Future.failedFuture("service is " + status.name().toLowerCase());
      }).onComplete(ar -> {
        Bounded.Outcome outcome = ar.result();
        if (halted()) {
          return;
        }
        if (outcome.succeeded()) {
          passed();
        } else {
          failed(outcome.timedOut() ? "check still pending after " + policy.checkInterval().toMillis() + " ms"
              : describe(outcome.failure()), false);
        }
      });
    }

    void passed() {
      boolean recovered;
      synchronized (this) {
        recovered = failing;
        failing = false;
        consecutiveFailures = 0;
        attemptsSinceHealthy = 0;
      }
      component.ok();
      if (recovered) {
        LOG.info("Service {} is healthy again", name);
        listeners.forEach(l -> l.onHealthy(name));
      }
      schedule(policy.checkInterval());
    }

    void failed(String error, boolean fatal) {
      boolean first;
      int count;
      boolean restart;
      synchronized (this) {
        if (gaveUp || halted()) {
          return;
        }
        first = !failing;
        failing = true;
        count = ++consecutiveFailures;
        restart = !busy && policy.mode() != RestartMode.NEVER && (fatal || count >= policy.failuresBeforeRestart());
        if (restart) {
          busy = true;
          cancel();
        }
      }
      component.failed(error);
      LOG.warn("Service {} {} ({} in a row): {}", name, fatal ? "reported a fatal error" : "failed its check", count, error);
      if (first) {
        listeners.forEach(l -> l.onFailure(name, count, error));
      }
      if (restart) {
        restartAfterBackoff(error);
      } else if (!fatal) {
        schedule(policy.checkInterval());
      }
    }

    private void restartAfterBackoff(String reason) {
      Duration delay;
      synchronized (this) {
        long now = clock.nanoTime();
        long window = policy.startLimitInterval().toNanos();
        while (!restartTimes.isEmpty() && now - restartTimes.peekFirst() >= window) {
          restartTimes.removeFirst();
        }
        if (restartTimes.size() >= policy.startLimitBurst()) {
          gaveUp = true;
        } else {
          restartTimes.addLast(now);
          delay = policy.backoff(attemptsSinceHealthy++);
          LOG.info("Restarting service {} in {} ms (restart {} since it was last healthy)", name, delay.toMillis(), attemptsSinceHealthy);
          timer = clock.schedule(delay, () -> restartNow(reason));
          return;
        }
      }
      giveUp();
    }

    private void giveUp() {
      String why = "start limit hit: " + policy.startLimitBurst() + " restarts within "
          + policy.startLimitInterval().toSeconds() + " s; the service stays down";
      LOG.error("Service {}: {}", name, why);
      lifecycle.services().stopFailed(name).onComplete(ar -> {
        component.failed(why);
        listeners.forEach(l -> l.onGaveUp(name, why));
      });
    }

    private void restartNow(String reason) {
      if (halted()) {
        return;
      }
      lifecycle.services().restart(name).onComplete(ar -> {
        int n;
        synchronized (this) {
          n = ++restarts;
          busy = false;
          consecutiveFailures = 0;
        }
        component.countRestart();
        listeners.forEach(l -> l.onRestart(name, n, reason, ar.succeeded()));
        if (halted()) {
          return;
        }
        if (ar.succeeded()) {
          LOG.info("Service {} restarted ({} restart(s) so far)", name, n);
          schedule(policy.checkInterval());
        } else {
          failed("restart failed: " + describe(ar.cause()), true);
        }
      });
    }
  }
}
