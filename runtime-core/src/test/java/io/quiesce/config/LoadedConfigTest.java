package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LoadedConfigTest {

  @Test
  void describeListsEveryKeyInSchemaOrderWithItsOriginAligned(Vertx vertx) throws Exception {
    // The first runtime keys: the layout under test does not change as keys are added.
    ConfigSchema schema = ConfigSchema.of(RuntimeKeys.SERVICE_NAME, RuntimeKeys.SERVICE_VERSION, RuntimeKeys.SERVER_HOST,
        RuntimeKeys.SERVER_PORT, RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT, RuntimeKeys.SERVER_DRAIN_DELAY,
        RuntimeKeys.SERVER_DRAIN_TIMEOUT, RuntimeKeys.SERVER_IDLE_GRACE, RuntimeKeys.SERVER_STOP_TIMEOUT,
        RuntimeKeys.SERVER_RETRY_AFTER, RuntimeKeys.LOG_LEVEL);
    LoadedConfig config = ConfigLoading.with(vertx).schema(schema)
        .applicationDefault("server.port", 4566)
        .env("QUIESCE_SERVER_DRAIN_DELAY", "5")
        .set("server.idle_grace=250ms", "log.level=DEBUG")
        .load();

    assertThat(config.describe()).isEqualTo("""
        service.name = quiesce          (default)
        service.version = 0.0.0         (default)
        server.host = 127.0.0.1         (default)
        server.port = 4566              (application default)
        server.shutdown_timeout = 30s   (default)
        server.drain_delay = 5s         (env QUIESCE_SERVER_DRAIN_DELAY)
        server.drain_timeout = 20s      (default)
        server.idle_grace = 250ms       (--set server.idle_grace=250ms)
        server.stop_timeout = 10s       (default)
        server.retry_after = 1s         (default)
        log.level = debug               (--set log.level=DEBUG)""");
  }

  @Test
  void runtimeSettingsCarryTheEffectiveValues(Vertx vertx) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx)
        .set("service.name=s3", "server.port=0", "server.shutdown_timeout=1m", "server.retry_after=2s")
        .load();

    RuntimeSettings settings = RuntimeSettings.from(config);

    assertThat(settings).isEqualTo(new RuntimeSettings("s3", "0.0.0", "127.0.0.1", 0,
        Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(20), Duration.ofSeconds(1),
        Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofSeconds(10), Duration.ofSeconds(2), "info", "text", true, ".quiesce", "quiesce.pid", "quiesce.log"));
  }

  @Test
  void askingForAKeyOutsideTheSchemaIsAnError(Vertx vertx) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).load();
    ConfigKey<String> stranger = ConfigKey.string("service.name", "other", "same path, different key");

    assertThatIllegalArgumentException().isThrownBy(() -> config.get(stranger));
    assertThatIllegalArgumentException().isThrownBy(() -> config.origin(stranger));
  }
}
