package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.events.EventKeys;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeps the configuration files in the repository's config/ folder true to the code. */
@ExtendWith(VertxExtension.class)
class ShippedConfigFilesTest {

  private static final Path CONFIG = Path.of("..", "config");
  /** Every key a runtime accepts: its own and those of lifecycle events. */
  private static final ConfigSchema ALL_KEYS = RuntimeKeys.SCHEMA.plus(EventKeys.ALL.toArray(new ConfigKey<?>[0]));

  @Test
  void quiesceYamlSetsEveryKeyToItsDefault(Vertx vertx) throws Exception {
    Path file = CONFIG.resolve("quiesce.yaml");

    LoadedConfig config = ConfigLoading.with(vertx).schema(ALL_KEYS).file(file).load();

    for (ConfigKey<?> key : ALL_KEYS.keys()) {
      assertThat(config.origin(key)).as("%s is in the file", key.path()).isEqualTo(ConfigOrigin.file(file.toString()));
      assertThat(config.get(key)).as("%s in the file equals the default", key.path()).isEqualTo(key.defaultValue());
    }
    assertThat(config.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"production-like.yaml", "fast-tests.yaml"})
  void examplesLoadWithoutProblems(String name, Vertx vertx) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).file(CONFIG.resolve("examples").resolve(name)).load();

    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void productionLikeWaitsForTheLoadBalancer(Vertx vertx) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).file(CONFIG.resolve("examples/production-like.yaml")).load();

    assertThat(config.get(RuntimeKeys.SERVER_HOST)).isEqualTo("0.0.0.0");
    assertThat(config.get(RuntimeKeys.SERVER_DRAIN_DELAY)).isEqualTo(Duration.ofSeconds(5));
  }
}
