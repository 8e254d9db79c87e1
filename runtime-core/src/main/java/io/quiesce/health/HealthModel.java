package io.quiesce.health;

import io.quiesce.lifecycle.LifecycleState;
import io.quiesce.time.RuntimeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentSkipListMap;
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
  private final HealthPolicy policy;
  private final RequestStats requests;
  private final Instant anchor = Instant.now();
  private final long anchorNanos;
  private final Map<String, Component> components = new ConcurrentSkipListMap<>();
  private final List<Consumer<HealthTransition>> listeners = new CopyOnWriteArrayList<>();
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
    Component c = new Component(name, kind, critical, this, policy.historySize());
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

  /** Told of each change of overall state, on the thread that noticed it; must not block. */
  public void addListener(Consumer<HealthTransition> listener) {
    listeners.add(listener);
  }

  /** Applies the rules now; logs and tells listeners if the overall state changed. */
  public HealthRules.Verdict evaluate() {
    HealthRules.Verdict verdict = HealthRules.evaluate(lifecycle.get(), views(), requests.window(), policy);
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
    HealthRules.Verdict verdict = evaluate();
    return new HealthSnapshot(verdict.state(), verdict.reasons(), lifecycle.get(), views(), requests.snapshot(),
        policy, now());
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
