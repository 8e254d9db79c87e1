package io.quiesce.config;

import static io.quiesce.config.ConfigLoading.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigPrecedenceTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Path file;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.file = yaml(dir, "dev.yaml", "server:\n  port: 5000\n");
  }

  @Test
  void withNothingGivenEveryKeyHasItsBuiltInDefault() throws Exception {
    LoadedConfig config = ConfigLoading.await(ConfigLoader.load(() -> vertx, RuntimeKeys.SCHEMA, ConfigRequest.defaults()));

    for (ConfigKey<?> key : RuntimeKeys.SCHEMA.keys()) {
      assertThat(config.get(key)).as(key.path()).isEqualTo(key.defaultValue());
      assertThat(config.origin(key)).hasToString("default");
    }
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void eachLayerOverridesTheLayersBelowIt() throws Exception {
    ConfigLoading loading = ConfigLoading.with(vertx);
    assertPort(loading, 8080, "default");

    loading.applicationDefault("server.port", 4566);
    assertPort(loading, 4566, "application default");

    loading.file(file);
    assertPort(loading, 5000, "file " + file);

    loading.env("QUIESCE_SERVER_PORT", "6000");
    assertPort(loading, 6000, "env QUIESCE_SERVER_PORT");

    loading.set("server.port=7000");
    assertPort(loading, 7000, "--set server.port=7000");
  }

  private static void assertPort(ConfigLoading loading, int port, String origin) throws Exception {
    LoadedConfig config = loading.load();
    assertThat(config.get(RuntimeKeys.SERVER_PORT)).isEqualTo(port);
    assertThat(config.origin(RuntimeKeys.SERVER_PORT)).hasToString(origin);
  }

  @Test
  void eachKeyReportsTheLayerItsValueCameFrom() throws Exception {
    Path file = yaml(dir, "hosts.yaml", "server:\n  host: 0.0.0.0\n");

    LoadedConfig config = ConfigLoading.with(vertx)
        .applicationDefault("server.port", 4566)
        .file(file)
        .env("QUIESCE_SERVER_DRAIN_DELAY", "5s")
        .set("log.level=debug")
        .load();

    assertThat(config.origin(RuntimeKeys.SERVICE_NAME)).isEqualTo(ConfigOrigin.builtInDefault());
    assertThat(config.origin(RuntimeKeys.SERVER_PORT)).isEqualTo(ConfigOrigin.applicationDefault());
    assertThat(config.origin(RuntimeKeys.SERVER_HOST)).isEqualTo(ConfigOrigin.file(file.toString()));
    assertThat(config.origin(RuntimeKeys.SERVER_DRAIN_DELAY)).isEqualTo(ConfigOrigin.env("QUIESCE_SERVER_DRAIN_DELAY"));
    assertThat(config.origin(RuntimeKeys.LOG_LEVEL)).isEqualTo(ConfigOrigin.cli("log.level=debug"));
    assertThat(config.get(RuntimeKeys.SERVER_DRAIN_DELAY)).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.get(RuntimeKeys.SERVER_HOST)).isEqualTo("0.0.0.0");
  }

  @Test
  void aFileWhoseKeysAreAllCommentedOutChangesNothing() throws Exception {
    Path onlyComments = yaml(dir, "comments.yaml", "# server:\n#   port: 9000\n");
    Path emptySection = yaml(dir, "empty-section.yaml", "server:\n#  port: 9000\nlog:\n  level: warn\n");
    Path empty = yaml(dir, "empty.yaml", "");

    for (Path file : List.of(onlyComments, emptySection, empty)) {
      LoadedConfig config = ConfigLoading.with(vertx).applicationDefault("server.port", 4566).file(file).load();

      assertThat(config.get(RuntimeKeys.SERVER_PORT)).as(file.getFileName().toString()).isEqualTo(4566);
    }
  }

  @Test
  void theLastOfRepeatedOverridesWins() throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).set("server.port=1", "server.port=2").load();

    assertThat(config.get(RuntimeKeys.SERVER_PORT)).isEqualTo(2);
    assertThat(config.origin(RuntimeKeys.SERVER_PORT)).hasToString("--set server.port=2");
  }

  @Test
  void anInvalidValueIsReportedEvenWhenAHigherLayerOverridesIt() throws Exception {
    assertThat(ConfigLoading.with(vertx)
        .env("QUIESCE_SERVER_PORT", "http")
        .set("server.port=9000")
        .problems())
        .containsExactly("server.port = \"http\" (env QUIESCE_SERVER_PORT): expected an integer from 0 to 65535");
  }

  @Test
  void applicationDefaultsMayBeTypedValues() throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx)
        .applicationDefault("server.shutdown_timeout", Duration.ofMillis(1500))
        .applicationDefault("service.name", "s3-emulator")
        .load();

    assertThat(config.get(RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT)).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.get(RuntimeKeys.SERVICE_NAME)).isEqualTo("s3-emulator");
  }

  @Test
  void environmentNamesAreThePathInCapitalsWithTheQuiescePrefix() {
    assertThat(RuntimeKeys.SERVER_PORT.envName()).isEqualTo("QUIESCE_SERVER_PORT");
    assertThat(RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT.envName()).isEqualTo("QUIESCE_SERVER_SHUTDOWN_TIMEOUT");
    assertThat(RuntimeKeys.LOG_LEVEL.envName()).isEqualTo("QUIESCE_LOG_LEVEL");
  }
}
