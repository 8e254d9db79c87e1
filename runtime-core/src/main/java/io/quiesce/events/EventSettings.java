package io.quiesce.events;

import io.quiesce.config.LoadedConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The event settings as typed values; see {@link EventKeys}.
 *
 * @param reannounceOn service names whose startup triggers a new announcement; {@code ["*"]} means
 *     any, empty means never
 */
public record EventSettings(
    String prefix,
    Duration heartbeatInterval,
    int staleAfter,
    int replaySize,
    List<String> reannounceOn,
    boolean groupRestart) {

  public EventSettings {
    reannounceOn = List.copyOf(reannounceOn);
  }

  /** Defaults of every key. */
  public static EventSettings defaults() {
    return new EventSettings(EventKeys.PREFIX.defaultValue(), EventKeys.HEARTBEAT_INTERVAL.defaultValue(),
        EventKeys.STALE_AFTER.defaultValue(), EventKeys.REPLAY_SIZE.defaultValue(),
        parseNames(EventKeys.REANNOUNCE_ON.defaultValue()), EventKeys.GROUP_RESTART.defaultValue());
  }

  /** Reads the keys of {@link EventKeys#ALL}; {@code config} must have been loaded with them. */
  public static EventSettings from(LoadedConfig config) {
    return new EventSettings(config.get(EventKeys.PREFIX), config.get(EventKeys.HEARTBEAT_INTERVAL),
        config.get(EventKeys.STALE_AFTER), config.get(EventKeys.REPLAY_SIZE),
        parseNames(config.get(EventKeys.REANNOUNCE_ON)), config.get(EventKeys.GROUP_RESTART));
  }

  /** True if another service's startup of this name should trigger an announcement. */
  public boolean reannouncesOn(String service) {
    return reannounceOn.contains("*") || reannounceOn.contains(service);
  }

  static List<String> parseNames(String value) {
    if (value.strip().equalsIgnoreCase("none")) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
