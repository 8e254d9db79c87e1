package io.quiesce.hooks;

import io.quiesce.config.ConfigKey;
import io.quiesce.config.RuntimeKeys;
import java.util.List;

/** The lifecycle events hooks run on; {@link #word()} names the config key and the hook folder. */
public enum HookEvent {
  ON_START(RuntimeKeys.HOOKS_ON_START),
  ON_READY(RuntimeKeys.HOOKS_ON_READY),
  ON_DRAIN(RuntimeKeys.HOOKS_ON_DRAIN),
  ON_STOP(RuntimeKeys.HOOKS_ON_STOP),
  ON_RESTART(RuntimeKeys.HOOKS_ON_RESTART),
  ON_FAILURE(RuntimeKeys.HOOKS_ON_FAILURE),
  ON_HEALTHY(RuntimeKeys.HOOKS_ON_HEALTHY);

  private final ConfigKey<List<String>> key;

  HookEvent(ConfigKey<List<String>> key) {
    this.key = key;
  }

  /** {@code on_start}: the value of {@code QUIESCE_EVENT}, and the folder {@code on_start.d}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The key listing this event's commands, e.g. {@code hooks.on_start}. */
  public ConfigKey<List<String>> key() {
    return key;
  }
}
