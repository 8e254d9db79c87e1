package io.quiesce.events;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.ShutdownReport;
import io.quiesce.lifecycle.LifecycleManager;
import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One service's part in the fleet's events: it publishes this service's lifecycle
 * ({@code startup} when RUNNING is reached, {@code heartbeat} every interval, {@code shutdown} with
 * the shutdown report), announces it for discovery, keeps the registry of services it hears of, and
 * acts on group restart notices; the runtime publishes changes of health through {@link #health}.
 * Emulator code uses it to publish {@code connected} /
 * {@code disconnected} events and to subscribe with wildcards.
 *
 * <p>Publishing never throws and never fails a caller: failures are logged and counted
 * ({@link #publishFailures()}). Thread-safe.
 */
public final class LifecycleEvents {

  private final EventHub hub;
  private final Subjects subjects;
  private final ServiceIdentity identity;
  private final EventSettings settings;
  private final LifecycleManager lifecycle;
  private final Supplier<LoadSnapshot> load;
  private final Supplier<String> httpEndpoint;
  private final ServiceRegistry registry;
  private final GroupRestart groupRestart;
  private final Heartbeat heartbeat;
  private final AtomicBoolean startupSent = new AtomicBoolean();
  private final Future<Void> closed;

  /**
   * Wires everything up: subscriptions, the lifecycle listener that sends {@code startup}, and the
   * end of life — once the lifecycle reports STOPPED the {@code shutdown} event is published and the
   * transports closed ({@link #whenClosed()}).
   *
   * @param httpEndpoint the service's base URL ({@code http://127.0.0.1:4566}), asked for when announcing
   */
  public LifecycleEvents(EventHub hub, ServiceIdentity identity, EventSettings settings, RuntimeClock clock,
      java.time.Clock wallClock, LifecycleManager lifecycle, Supplier<LoadSnapshot> load, Supplier<String> httpEndpoint) {
    this.hub = hub;
    this.subjects = new Subjects(settings.prefix());
    this.identity = identity;
    this.settings = settings;
    this.lifecycle = lifecycle;
    this.load = load;
    this.httpEndpoint = httpEndpoint;
    this.registry = new ServiceRegistry(clock, wallClock, settings.staleAfter(), settings.heartbeatInterval());
    this.groupRestart = new GroupRestart(identity.service(), settings.groupRestart(), clock, lifecycle);
    this.heartbeat = new Heartbeat(clock, settings.heartbeatInterval(), this::publishHeartbeat);

    registry.attach(hub, subjects);
    groupRestart.attach(hub, subjects);
    hub.subscribe(SubjectFilter.of(subjects.discoveryPoll()), m -> announce());
    hub.subscribe(subjects.anyService("startup"), this::onOtherStartup);
    lifecycle.onTransition(t -> {
      if (t.to() == LifecycleState.RUNNING && startupSent.compareAndSet(false, true)) {
        publish(subjects.lifecycle(identity.service(), "startup"), identity.payload("startup", false)
            .put("http_endpoint", httpEndpoint.get()));
        announce();
        heartbeat.start();
      }
    });
    this.closed = lifecycle.whenStopped().compose(this::publishShutdown);
  }

  /** Starts the transports; always succeeds (a transport that cannot start is logged and left out). */
  public Future<Void> start() {
    return hub.start();
  }

  /** Completes once the {@code shutdown} event went out and the transports are closed. */
  public Future<Void> whenClosed() {
    return closed;
  }

  /** Publishes that this service connected to an external system {@code target}. */
  public void connected(String target, JsonObject details) {
    publishConnection("connected", target, details);
  }

  /** Publishes that this service lost or closed its connection to {@code target}. */
  public void disconnected(String target, JsonObject details) {
    publishConnection("disconnected", target, details);
  }

  /**
   * Publishes a change of health on {@code <prefix>.lifecycle.<service>.health}: of the overall
   * health ({@code component} null; {@code healthy}, {@code degraded}, {@code failing}) or of one
   * component ({@code ok}, {@code failed}, {@code unknown}), with the reasons for the new status.
   *
   * @param from the status before, or null for the first evaluation
   */
  public void health(String component, String from, String to, List<String> reasons) {
    publish(subjects.lifecycle(identity.service(), "health"), identity.payload("health", true)
        .put("component", component)
        .put("from", from)
        .put("to", to)
        .put("reasons", new JsonArray(List.copyOf(reasons)))
        .put("state", lifecycle.state().name().toLowerCase()));
  }

  private void publishConnection(String event, String target, JsonObject details) {
    publish(subjects.lifecycle(identity.service(), event), identity.payload(event, true)
        .put("target", target)
        .put("details", details == null ? new JsonObject() : details.copy()));
  }

  /**
   * Calls {@code handler} for every event whose subject matches {@code filter} (NATS wildcards:
   * {@code quiesce.lifecycle.>}, {@code quiesce.lifecycle.*.startup}), on the events context.
   *
   * @throws IllegalArgumentException for a malformed filter
   */
  public EventHub.Subscription subscribe(String filter, Handler<EventMessage> handler) {
    return hub.subscribe(SubjectFilter.of(filter), handler);
  }

  /**
   * Publishes a group restart notice to the fleet over every transport; this service gets it too
   * (and acts on it if targeted, as on any notice).
   *
   * @return the subject it went out on
   */
  public String requestGroupRestart(RestartNotice notice) {
    publish(subjects.groupRestart(), notice.toJson().put("event_id", java.util.UUID.randomUUID().toString()));
    return subjects.groupRestart();
  }

  /** Adds a listener told of an accepted group restart notice before its delay starts. */
  public void onRestartNotice(RestartListener listener) {
    groupRestart.addListener(listener);
  }

  /** Recent events matching {@code filter}, oldest first, at most {@code limit}. */
  public List<EventMessage> recent(SubjectFilter filter, int limit) {
    return hub.recent(filter, limit);
  }

  public ServiceRegistry registry() {
    return registry;
  }

  public Subjects subjects() {
    return subjects;
  }

  public ServiceIdentity identity() {
    return identity;
  }

  /** Publishes that failed so far, over all transports. */
  public long publishFailures() {
    return hub.publishFailures();
  }

  /** The hub, for transports added during setup ({@link EventHub#addTransport}). */
  public EventHub hub() {
    return hub;
  }

  /** Announces this service on {@code <prefix>.service.discovery}. */
  public void announce() {
    publish(subjects.discovery(), identity.payload("announce", true)
        .put("http_endpoint", httpEndpoint.get())
        .put("health_url", httpEndpoint.get() + "/_quiesce/health")
        .put("heartbeat_interval_seconds", settings.heartbeatInterval().toMillis() / 1000.0)
        .put("state", lifecycle.state().name().toLowerCase()));
  }

  private void onOtherStartup(EventMessage m) {
    if (identity.instanceId().equals(m.instanceId())) {
      return;
    }
    Object service = m.body().getValue("service");
    if (service instanceof String s && settings.reannouncesOn(s)) {
      announce();
    }
  }

  private void publishHeartbeat() {
    LoadSnapshot now = load.get();
    publish(subjects.lifecycle(identity.service(), "heartbeat"), identity.payload("heartbeat", true)
        .put("health", now.health())
        .put("state", lifecycle.state().name().toLowerCase())
        .put("in_flight", now.inFlight())
        .put("requests", now.requests())
        .put("errors", now.errors())
        .put("publish_failures", hub.publishFailures())
        .put("heartbeat_interval_seconds", settings.heartbeatInterval().toMillis() / 1000.0));
  }

  private Future<Void> publishShutdown(ShutdownReport report) {
    heartbeat.stop();
    LoadSnapshot now = load.get();
    publish(subjects.lifecycle(identity.service(), "shutdown"), identity.payload("shutdown", true)
        .put("reason", report.reason().name())
        .put("requests", now.requests())
        .put("errors", now.errors())
        .put("publish_failures", hub.publishFailures())
        .put("report", report.toJson()));
    return hub.close();
  }

  private void publish(String subject, JsonObject body) {
    hub.publish(new EventMessage(subject, body));
  }
}
