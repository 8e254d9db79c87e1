package io.quiesce.http;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.quiesce.logging.LogSettings;
import io.quiesce.signal.JvmHooks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Objects;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * SIGHUP: reads the same configuration sources again (the file, the environment the process was
 * started with, the same {@code --set} flags), validates them, applies what can change at run
 * time — {@code log.level} — and logs, key by key, what changed but cannot be applied and why.
 * Invalid configuration is logged and changes nothing; the process never stops because of a reload.
 */
final class ConfigReloader {

  private static final Logger LOG = LogManager.getLogger(ConfigReloader.class);

  /** Why a changed key waits for a restart, for the runtime's own keys. */
  private static final Map<String, String> FIXED_BECAUSE = Map.ofEntries(
      Map.entry("service", "the name and version are reported as they were at startup"),
      Map.entry("server", "the server is bound and its shutdown budget fixed at startup"),
      Map.entry("log.format", "the log layout is chosen at startup"),
      Map.entry("metrics", "metrics are wired into Vert.x when it is created"),
      Map.entry("process", "a running instance's files cannot move"),
      Map.entry("health", "the health model is built at startup; reloading it is not implemented yet"),
      Map.entry("supervision", "restart policies are set at startup; reloading them is not implemented yet"),
      Map.entry("hooks", "hook lists are read at startup; reloading them is not implemented yet"),
      Map.entry("events", "the event transports and identity are set up at startup"));

  private final Vertx vertx;
  private final ConfigSchema schema;
  private final ConfigRequest request;
  private final LoadedConfig startup;
  private volatile String appliedLevel;

  ConfigReloader(Vertx vertx, ConfigSchema schema, ConfigRequest request, LoadedConfig startup) {
    this.vertx = vertx;
    this.schema = schema;
    this.request = request;
    this.startup = startup;
    this.appliedLevel = startup.get(RuntimeKeys.LOG_LEVEL);
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
    return ConfigLoader.load(vertx, schema, request).transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof ConfigException e) {
          LOG.warn("Reload refused, the running configuration is unchanged: {}", String.join("; ",
              e.problems().stream().map(Object::toString).toList()));
        } else {
          LOG.warn("Reload failed, the running configuration is unchanged: {}", ar.cause().toString());
        }
        return Future.succeededFuture();
      }
      apply(ar.result());
      return Future.succeededFuture();
    });
  }

  private void apply(LoadedConfig next) {
    int changes = 0;
    for (ConfigKey<?> key : schema.keys()) {
      if (key == RuntimeKeys.LOG_LEVEL) {
        String level = next.get(RuntimeKeys.LOG_LEVEL);
        if (!level.equals(appliedLevel)) {
          LogSettings.setLevel(level);
          LOG.info("Reloaded log.level: {} -> {}", appliedLevel, level);
          appliedLevel = level;
          changes++;
        }
      } else if (!Objects.equals(startup.get(key), next.get(key))) {
        LOG.warn("Not reloaded: {} changed from {} to {}, which takes effect on restart ({})",
            key.path(), formatted(key, startup), formatted(key, next), reasonFixed(key));
        changes++;
      }
    }
    if (changes == 0) {
      LOG.info("Reload: no changes");
    }
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
