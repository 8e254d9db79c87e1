package io.quiesce.events;

import io.quiesce.time.RuntimeClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every service instance this process has heard of — from discovery announcements and lifecycle
 * events — with its derived status:
 * <ul>
 *   <li>{@code up}: heard from within {@code staleAfter} of its heartbeat intervals;</li>
 *   <li>{@code stale}: silent for longer (an instance that sends no heartbeats never goes stale);</li>
 *   <li>{@code stopped}: it published its shutdown event.</li>
 * </ul>
 * Thread-safe. Status is computed when asked, on the runtime clock.
 */
public final class ServiceRegistry {

  private static final class Entry {
    JsonObject info = new JsonObject();
    Duration heartbeatInterval;
    long lastSeenNanos;
    Instant lastSeen;
    String lastHeartbeat;
    String lastEvent;
    boolean stopped;
  }

  private final RuntimeClock clock;
  private final Clock wallClock;
  private final int staleAfter;
  private final Duration defaultInterval;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * @param staleAfter intervals of silence after which an instance is stale
   * @param defaultInterval heartbeat interval assumed for instances that do not state theirs
   */
  public ServiceRegistry(RuntimeClock clock, Clock wallClock, int staleAfter, Duration defaultInterval) {
    this.clock = clock;
    this.wallClock = wallClock;
    this.staleAfter = staleAfter;
    this.defaultInterval = defaultInterval;
  }

  /** Subscribes to announcements and lifecycle events of {@code subjects} on {@code hub}. */
  public void attach(EventHub hub, Subjects subjects) {
    hub.subscribe(SubjectFilter.of(subjects.discovery()), this::record);
    hub.subscribe(SubjectFilter.of(subjects.prefix() + ".lifecycle.*.*"), this::record);
  }

  /** Takes note of one event; events without {@code instance_id} and {@code service} (polls, restart notices) are skipped. */
  public void record(EventMessage message) {
    JsonObject body = message.body();
    String id = message.instanceId();
    if (id == null || !(body.getValue("service") instanceof String)) {
      return;
    }
    String event = body.getValue("event") instanceof String e ? e : "";
    Entry entry = entries.computeIfAbsent(id, k -> new Entry());
    synchronized (entry) {
      for (String field : new String[] {"service", "version", "hostname", "instance_id", "http_endpoint", "health_url"}) {
        Object v = body.getValue(field);
        if (v instanceof String) {
          entry.info.put(field, v);
        }
      }
      if (body.getValue("heartbeat_interval_seconds") instanceof Number n) {
        entry.heartbeatInterval = Duration.ofMillis(Math.round(n.doubleValue() * 1000));
      }
      entry.lastSeenNanos = clock.nanoTime();
      entry.lastSeen = wallClock.instant();
      entry.lastEvent = event;
      if (event.equals("heartbeat") && body.getValue("timestamp") instanceof String ts) {
        entry.lastHeartbeat = ts;
      }
      entry.stopped = event.equals("shutdown");
    }
  }

  /** Status of one instance: {@code up}, {@code stale} or {@code stopped}; null if unknown. */
  public String status(String instanceId) {
    Entry e = entries.get(instanceId);
    if (e == null) {
      return null;
    }
    synchronized (e) {
      return status(e, clock.nanoTime());
    }
  }

  private String status(Entry e, long now) {
    if (e.stopped) {
      return "stopped";
    }
    Duration interval = e.heartbeatInterval != null ? e.heartbeatInterval : defaultInterval;
    if (!interval.isZero() && now - e.lastSeenNanos > interval.toNanos() * staleAfter) {
      return "stale";
    }
    return "up";
  }

  /** Every instance, by service name then instance id: what {@code /_quiesce/lifecycle/services} shows. */
  public JsonObject toJson() {
    long now = clock.nanoTime();
    JsonArray services = new JsonArray();
    entries.values().stream()
        .map(e -> {
          synchronized (e) {
            return e.info.copy()
                .put("status", status(e, now))
                .put("last_event", e.lastEvent)
                .put("last_seen", e.lastSeen.toString())
                .put("seconds_since_seen", Duration.ofNanos(now - e.lastSeenNanos).toMillis() / 1000.0)
                .put("last_heartbeat", e.lastHeartbeat);
          }
        })
        .sorted(Comparator.comparing((JsonObject j) -> j.getString("service", ""))
            .thenComparing(j -> j.getString("instance_id", "")))
        .forEach(services::add);
    return new JsonObject().put("stale_after_intervals", staleAfter).put("services", services);
  }
}
