package io.quiesce.http;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.health.HealthModel;
import io.quiesce.health.HealthPolicy;
import io.quiesce.hooks.HookRunner;
import io.quiesce.hooks.HookSet;
import io.quiesce.logging.LogSettings;
import io.quiesce.signal.JvmHooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SIGHUP: reads the same configuration sources again (the file, the environment the process was
 * started with, the same {@code --set} flags), validates them, applies what can change at run
 * time — {@code log.level}, the health thresholds and the hooks — and logs, key by key, what
 * changed but cannot be applied and why. Invalid configuration is logged and changes nothing;
 * hooks that fail the startup checks are refused and the running hooks kept. The process never
 * stops because of a reload.
 */
final class ConfigReloader {

  private static final Logger LOG = LogManager.getLogger(ConfigReloader.class);

  /** Health keys applied by {@link HealthModel#reconfigure}. */
  private static final Set<ConfigKey<?>> HEALTH = Set.of(RuntimeKeys.HEALTH_ERROR_THRESHOLD,
      RuntimeKeys.HEALTH_ERROR_MIN_REQUESTS, RuntimeKeys.HEALTH_HISTORY_SIZE);

  /** Hook keys applied by {@link HookRunner#reconfigure}. */
  private static final Set<ConfigKey<?>> HOOKS = Set.of(RuntimeKeys.HOOKS_DIR, RuntimeKeys.HOOKS_TIMEOUT,
      RuntimeKeys.HOOKS_KILL_GRACE, RuntimeKeys.HOOKS_ON_READY, RuntimeKeys.HOOKS_ON_DRAIN, RuntimeKeys.HOOKS_ON_STOP,
      RuntimeKeys.HOOKS_ON_RESTART, RuntimeKeys.HOOKS_ON_FAILURE, RuntimeKeys.HOOKS_ON_HEALTHY);

  /** Why a changed key waits for a restart, for the runtime's own keys. */
  private static final Map<String, String> FIXED_BECAUSE = Map.ofEntries(
      Map.entry("service", "the name and version are reported as they were at startup"),
      Map.entry("server", "the server is bound and its shutdown budget fixed at startup"),
      Map.entry("log.format", "the log layout is chosen at startup"),
      Map.entry("metrics", "metrics are wired into Vert.x when it is created"),
      Map.entry("process", "a running instance's files cannot move"),
      Map.entry("health.error_window", "the error window's buckets are sized at startup"),
      Map.entry("supervision", "each service's restart policy is fixed when supervision starts watching it"),
      Map.entry("hooks.on_start", "on_start hooks run once, at startup"),
      Map.entry("hooks.on_start_required", "on_start hooks run once, at startup"),
      Map.entry("events", "the event transports and identity are set up at startup"),
      Map.entry("cluster", "the cluster is joined when Vert.x is created"));

  private final Vertx vertx;
  private final ConfigSchema schema;
  private final ConfigRequest request;
  private final LoadedConfig startup;
  private final HealthModel health;
  private final HookRunner hooks;
  private final String pathEnv;
  private LoadedConfig applied; // log.level and health values in force; guarded by this
  private LoadedConfig appliedHooks; // hook values in force (kept when a reload's hooks are refused); guarded by this

  ConfigReloader(Vertx vertx, ConfigSchema schema, ConfigRequest request, LoadedConfig startup, HealthModel health,
      HookRunner hooks, String pathEnv) {
    this.vertx = vertx;
    this.schema = schema;
    this.request = request;
    this.startup = startup;
    this.health = health;
    this.hooks = hooks;
    this.pathEnv = pathEnv;
    this.applied = startup;
    this.appliedHooks = startup;
  }

  void installOn(JvmHooks jvm) {
    if (!jvm.onSignal("HUP", () -> {
      LOG.info("Received SIGHUP: reloading the configuration");
      reload();
    })) {
      LOG.debug("SIGHUP cannot be handled in this process; configuration reload is unavailable");
    }
  }

  /** Reloads once; the future completes when every outcome has been logged, and never fails. */
  Future<Void> reload() {
    return ConfigLoader.load(() -> vertx, schema, request).transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ConfigException e) {
          LOG.warn("Reload refused, the running configuration is unchanged: {}", problems(e));
        } else {
          LOG.warn("Reload failed, the running configuration is unchanged: {}", ar.cause().toString());
        }
        return Future.succeededFuture();
      }
      // Checking hooks looks at files: a worker thread, never the event loop.
      return vertx.executeBlocking(() -> {
        apply(ar.result());
        return null;
      }, true).<Void>mapEmpty().recover(e -> {
        LOG.warn("Reload failed: {}", e.toString());
        return Future.succeededFuture();
      });
    });
  }

  private synchronized void apply(LoadedConfig next) {
    int changes = 0;
    String level = next.get(RuntimeKeys.LOG_LEVEL);
    String before = applied.get(RuntimeKeys.LOG_LEVEL);
    if (!level.equals(before)) {
      // Logged while the more verbose level is in force: "info -> warn" must still show.
      LogSettings.changeLevel(before, level, LOG, "Reloaded {}: {} -> {}", RuntimeKeys.LOG_LEVEL.path(),
          formatted(RuntimeKeys.LOG_LEVEL, applied), formatted(RuntimeKeys.LOG_LEVEL, next));
      changes++;
    }
    if (changed(HEALTH, applied, next)) {
      health.reconfigure(HealthPolicy.from(next));
      changes += logReloaded(HEALTH, applied, next);
    }
    applied = next;
    try {
      // Checked on every reload exactly as at startup; a hook folder's files may have changed too.
      HookSet set = HookSet.load(next, pathEnv);
      hooks.reconfigure(set, next.get(RuntimeKeys.HOOKS_TIMEOUT), next.get(RuntimeKeys.HOOKS_KILL_GRACE));
      changes += logReloaded(HOOKS, appliedHooks, next);
      appliedHooks = next;
    } catch (ConfigException e) {
      LOG.warn("Hooks not reloaded, the running hooks are unchanged: {}", problems(e));
      changes++;
    }
    for (ConfigKey<?> key : schema.keys()) {
      if (key != RuntimeKeys.LOG_LEVEL && !HEALTH.contains(key) && !HOOKS.contains(key)
          && !Objects.equals(startup.get(key), next.get(key))) {
        LOG.warn("Not reloaded: {} changed from {} to {}, which takes effect on restart ({})",
            key.path(), formatted(key, startup), formatted(key, next), reasonFixed(key));
        changes++;
      }
    }
    if (changes == 0) {
      LOG.info("Reload: no changes");
    }
  }

  private static boolean changed(Set<ConfigKey<?>> keys, LoadedConfig before, LoadedConfig next) {
    return keys.stream().anyMatch(k -> !Objects.equals(before.get(k), next.get(k)));
  }

  private int logReloaded(Collection<ConfigKey<?>> keys, LoadedConfig before, LoadedConfig next) {
    int n = 0;
    for (ConfigKey<?> key : schema.keys()) {
      if (keys.contains(key) && !Objects.equals(before.get(key), next.get(key))) {
        LOG.info("Reloaded {}: {} -> {}", key.path(), formatted(key, before), formatted(key, next));
        n++;
      }
    }
    return n;
  }

  private static String problems(ConfigException e) {
    return String.join("; ", e.problems().stream().map(ConfigProblem::toString).toList());
  }

  private static <T> String formatted(ConfigKey<T> key, LoadedConfig config) {
    return key.format(config.get(key));
  }

  private static String reasonFixed(ConfigKey<?> key) {
    String reason = FIXED_BECAUSE.get(key.path());
    if (reason == null) {
      reason = FIXED_BECAUSE.get(key.path().substring(0, key.path().indexOf('.')));
    }
    return reason != null ? reason : "the emulator reads it at startup";
  }
}
