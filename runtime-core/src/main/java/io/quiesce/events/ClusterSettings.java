package io.quiesce.events;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.LoadedConfig;
import java.util.List;

/**
 * Where this process joins the cluster that carries events between processes; see the
 * {@code cluster.*} keys of {@link EventKeys}.
 *
 * @param name    the cluster's name: only members with the same name (derived from
 *                {@code events.prefix}) form a cluster, so fleets with different prefixes stay apart
 * @param members other members as {@code host:port}, the TCP join's seeds
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members) {

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /**
   * Reads the {@code cluster.*} keys; a member that is not {@code host:port} (port 1–65535) is a
   * configuration problem naming the key, value and origin.
   */
  public static ClusterSettings from(LoadedConfig config) {
    ConfigKey<List<String>> key = EventKeys.CLUSTER_MEMBERS;
    List<String> members = config.get(key);
    for (String member : members) {
      if (!isHostPort(member)) {
        String value = key.format(members);
        throw new ConfigException(List.of(new ConfigProblem(key.path(), value, config.origin(key), key.path()
            + " = \"" + value + "\" (" + config.origin(key) + "): expected host:port with a port from 1 to 65535, got \""
            + member + "\"")));
      }
    }
    return new ClusterSettings(config.get(EventKeys.CLUSTER_ENABLED), nameFor(config.get(EventKeys.PREFIX)),
        config.get(EventKeys.CLUSTER_HOST), config.get(EventKeys.CLUSTER_PORT), members);
  }

  /** The cluster name of a fleet whose {@code events.prefix} is {@code prefix}. */
  public static String nameFor(String prefix) {
    return prefix + "-events";
  }

  static boolean isHostPort(String member) {
    int colon = member.lastIndexOf(':');
    if (colon <= 0 || colon == member.length() - 1) {
      return false;
    }
    try {
      int port = Integer.parseInt(member.substring(colon + 1));
      return port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
