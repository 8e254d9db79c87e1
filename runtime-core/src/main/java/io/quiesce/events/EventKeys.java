package io.quiesce.events;

import io.quiesce.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Configuration keys of lifecycle events, discovery and group restart; every runtime accepts them. */
public final class EventKeys {

  public static final ConfigKey<String> PREFIX = ConfigKey.string("events.prefix", "quiesce",
      "first tokens of every event subject: <prefix>.lifecycle.<service>.<event>");

  public static final ConfigKey<Duration> HEARTBEAT_INTERVAL = ConfigKey.duration("events.heartbeat_interval",
      Duration.ofSeconds(30), "time between heartbeat events; 0 sends none");

  public static final ConfigKey<Integer> STALE_AFTER = ConfigKey.integer("events.stale_after", 3, 1, 1000,
      "heartbeat intervals without news after which /_quiesce/lifecycle/services marks an instance stale");

  public static final ConfigKey<Integer> REPLAY_SIZE = ConfigKey.integer("events.replay_size", 256, 0, 100_000,
      "how many recent events /_quiesce/lifecycle/events keeps");

  public static final ConfigKey<String> REANNOUNCE_ON = ConfigKey.string("events.reannounce_on", "*",
      "services whose startup makes this one announce itself again: *, none, or comma-separated names");

  public static final ConfigKey<Boolean> GROUP_RESTART = ConfigKey.bool("events.group_restart", true,
      "act on group restart notices (false: log and ignore them)");

  public static final ConfigKey<Boolean> HTTP_RESTART = ConfigKey.bool("events.http_restart", false,
      "accept group restart notices at POST /_quiesce/lifecycle/group-restart and publish them to the fleet (anyone who reaches the HTTP port could restart it)");

  public static final ConfigKey<Boolean> CLUSTER_ENABLED = ConfigKey.bool("cluster.enabled", false,
      "join a Hazelcast cluster so events, discovery and group restarts reach other processes and machines");

  public static final ConfigKey<String> CLUSTER_HOST = ConfigKey.string("cluster.host", "127.0.0.1",
      "address the cluster member and the clustered event bus bind to and announce");

  public static final ConfigKey<Integer> CLUSTER_PORT = ConfigKey.integer("cluster.port", 5701, 1, 65535,
      "Hazelcast member port (exactly this one: no auto-increment)");

  public static final ConfigKey<List<String>> CLUSTER_MEMBERS = ConfigKey.stringList("cluster.members", List.of(),
      "host:port of other members to join over TCP (no multicast); empty: wait to be joined");

  /** Every key above, in the order {@code --print-config} shows them. */
  public static final List<ConfigKey<?>> ALL = List.of(PREFIX, HEARTBEAT_INTERVAL, STALE_AFTER, REPLAY_SIZE,
      REANNOUNCE_ON, GROUP_RESTART, HTTP_RESTART, CLUSTER_ENABLED, CLUSTER_HOST, CLUSTER_PORT, CLUSTER_MEMBERS);

  private EventKeys() {}
}
