package io.quiesce.health;

import io.quiesce.api.LifecycleState;
import io.quiesce.time.RuntimeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The runtime's overall health (HEALTHY, DEGRADED, FAILING) and the components it is derived from.
 *
 * <p>Thread-safe. {@link #evaluate()} applies {@link HealthRules}; it runs whenever a component
 * changes status, when {@code /health} is read, and on whatever schedule the owner chooses (the
 * error rate changes with time alone). A change of overall state is logged once and told to
 * listeners once, however many evaluations see it.
 */
public final class HealthModel {

  private static final Logger LOG = LogManager.getLogger(HealthModel.class);

  private final RuntimeClock clock;
  private final Supplier<LifecycleState> lifecycle;
  private volatile HealthPolicy policy; // swapped whole by reconfigure; readers take one reference
  private final RequestStats requests;
  private final Instant anchor = Instant.now();
  private final long anchorNanos;
  private final Map<String, Component> components = new ConcurrentSkipListMap<>();
  private final List<Consumer<HealthTransition>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<ComponentTransition>> componentListeners = new CopyOnWriteArrayList<>();
  private HealthState last; // guarded by this; null before the first evaluation

  public HealthModel(RuntimeClock clock, Supplier<LifecycleState> lifecycle, HealthPolicy policy) {
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.policy = policy;
    this.anchorNanos = clock.nanoTime();
    this.requests = new RequestStats(clock, policy.errorWindow());
  }

  /** Registers a managed service's component; the supervisor reports its checks. */
  public Component service(String name, boolean critical) {
    return add(name, ComponentKind.SERVICE, critical);
  }

  /**
   * Registers an external dependency. Report each call to it with {@link Component#ok()} or
   * {@link Component#failed(String)}; until the first report it is UNKNOWN.
   */
  public Component dependency(String name, boolean critical) {
    return add(name, ComponentKind.DEPENDENCY, critical);
  }

  private Component add(String name, ComponentKind kind, boolean critical) {
    Component c = new Component(name, kind, critical, this);
    if (components.putIfAbsent(name, c) != null) {
      throw new IllegalArgumentException("a health component named '" + name + "' is already registered");
    }
    return c;
  }

  /** The component of that name, or null. */
  public Component component(String name) {
    return components.get(name);
  }

  /** Counts handled requests; the HTTP tracker records into it. */
  public RequestStats requests() {
    return requests;
  }

  public HealthPolicy policy() {
    return policy;
  }

  /**
   * Applies new thresholds at run time (a configuration reload): the error threshold, the minimum
   * number of requests and the history size take effect at once (a shorter history drops the
   * oldest entries at each component's next check). The error window is sized when the model is
   * built, so {@code next}'s window is ignored and the current one kept.
   *
   * @return the policy now in force
   */
  public HealthPolicy reconfigure(HealthPolicy next) {
    HealthPolicy applied = new HealthPolicy(policy.errorWindow(), next.errorThresholdPercent(), next.minRequests(),
        next.historySize());
    policy = applied;
    evaluate();
    return applied;
  }

  /** Told of each change of overall state, on the thread that noticed it; must not block. */
  public void addListener(Consumer<HealthTransition> listener) {
    listeners.add(listener);
  }

  /**
   * Told of each change of a component's status (before the overall health is re-evaluated), on
   * the thread that reported it; must not block.
   */
  public void addComponentListener(Consumer<ComponentTransition> listener) {
    componentListeners.add(listener);
  }

  /** A component's status changed: tell the listeners, then re-evaluate. */
  void componentChanged(ComponentTransition t) {
    for (Consumer<ComponentTransition> l : componentListeners) {
      try {
        l.accept(t);
      } catch (RuntimeException e) {
        LOG.warn("Health component listener failed", e);
      }
    }
    evaluate();
  }

  /** Applies the rules now; logs and tells listeners if the overall state changed. */
  public HealthRules.Verdict evaluate() {
    return evaluate(policy);
  }

  private HealthRules.Verdict evaluate(HealthPolicy current) {
    HealthRules.Verdict verdict = HealthRules.evaluate(lifecycle.get(), views(), requests.window(), current);
    HealthState from;
    synchronized (this) {
      from = last;
      if (from == verdict.state()) {
        return verdict;
      }
      last = verdict.state();
    }
    HealthTransition t = new HealthTransition(from, verdict.state(), verdict.reasons(), now());
    // A warning only when something went wrong while serving; starting and stopping are normal.
    boolean warn = t.to() != HealthState.HEALTHY && lifecycle.get() == LifecycleState.RUNNING;
    LOG.log(warn ? Level.WARN : Level.INFO, "Health {}{}{}", from == null ? "" : from + " -> ", t.to(), because(t));
    for (Consumer<HealthTransition> l : listeners) {
      try {
        l.accept(t);
      } catch (RuntimeException e) {
        LOG.warn("Health listener failed", e);
      }
    }
    return verdict;
  }

  /** Evaluates and returns the whole picture, as {@code /health} shows it. */
  public HealthSnapshot snapshot() {
    HealthPolicy current = policy;
    HealthRules.Verdict verdict = evaluate(current);
    return new HealthSnapshot(verdict.state(), verdict.reasons(), lifecycle.get(), views(), requests.snapshot(),
        current, now());
  }

  /** Components in name order. */
  public List<ComponentView> views() {
    List<ComponentView> out = new ArrayList<>(components.size());
    for (Component c : components.values()) {
      out.add(c.view());
    }
    return out;
  }

  /** Wall time as seen through the runtime clock, so that a manual clock moves it too. */
  Instant now() {
    return anchor.plusNanos(clock.nanoTime() - anchorNanos);
  }

  private static String because(HealthTransition t) {
    return t.reasons().isEmpty() ? "" : ": " + String.join("; ", t.reasons());
  }
}
