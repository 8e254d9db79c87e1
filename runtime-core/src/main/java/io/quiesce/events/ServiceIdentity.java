package io.quiesce.events;

import io.quiesce.time.RuntimeClock;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Who is publishing: the fields every event payload starts with ({@code service}, {@code version},
 * {@code hostname}, {@code instance_id}, {@code timestamp} in ISO-8601 UTC, {@code uptime_seconds})
 * plus {@code event} and a fresh {@code event_id}. Uptime counts from this object's creation on the
 * runtime clock; timestamps come from the wall clock.
 */
public final class ServiceIdentity {

  private final String service;
  private final String version;
  private final String hostname;
  private final String instanceId;
  private final RuntimeClock clock;
  private final Clock wallClock;
  private final long startNanos;

  public ServiceIdentity(String service, String version, String hostname, String instanceId, RuntimeClock clock,
      Clock wallClock) {
    this.service = service;
    this.version = version;
    this.hostname = hostname;
    this.instanceId = instanceId;
    this.clock = clock;
    this.wallClock = wallClock;
    this.startNanos = clock.nanoTime();
  }

  /** This process: host name from {@code $HOSTNAME} or the JVM, a random instance id, UTC wall clock. */
  public static ServiceIdentity of(String service, String version, RuntimeClock clock) {
    return new ServiceIdentity(service, version, localHostname(), UUID.randomUUID().toString(), clock, Clock.systemUTC());
  }

  private static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** The common fields of an {@code event}; {@code uptime_seconds} is null when {@code withUptime} is false. */
  public JsonObject payload(String event, boolean withUptime) {
    return new JsonObject()
        .put("event", event)
        .put("service", service)
        .put("version", version)
        .put("hostname", hostname)
        .put("instance_id", instanceId)
        .put("timestamp", wallClock.instant().toString())
        .put("uptime_seconds", withUptime ? uptimeSeconds() : null)
        .put("event_id", UUID.randomUUID().toString());
  }

  /** Seconds since start, millisecond precision. */
  public double uptimeSeconds() {
    return Duration.ofNanos(clock.nanoTime() - startNanos).toMillis() / 1000.0;
  }

  public String service() {
    return service;
  }

  public String version() {
    return version;
  }

  public String hostname() {
    return hostname;
  }

  public String instanceId() {
    return instanceId;
  }
}
