package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeyAndSchemaTest {

  @Test
  void aKeyDescribesItself() {
    ConfigKey<Duration> key = RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT;

    assertThat(key.path()).isEqualTo("server.shutdown_timeout");
    assertThat(key.defaultValue()).isEqualTo(Duration.ofSeconds(30));
    assertThat(key.valueType()).isEqualTo(Duration.class);
    assertThat(key.envName()).isEqualTo("QUIESCE_SERVER_SHUTDOWN_TIMEOUT");
    assertThat(key.description()).isNotBlank();
    assertThat(key.format(key.defaultValue())).isEqualTo("30s");
  }

  @Test
  void aChoiceDefaultIsNormalisedLikeAnyValue() {
    assertThat(ConfigKey.choice("mode", "FAST", List.of("Fast", "Safe"), "test").defaultValue()).isEqualTo("fast");
  }

  @Test
  void pathsMustBeDottedLowerSnakeCase() {
    for (String path : List.of("Server.port", "server..port", "server.port.", "server-port", "9lives", "")) {
      assertThatIllegalArgumentException().as(path).isThrownBy(() -> ConfigKey.string(path, "x", "test"));
    }
  }

  @Test
  void aDefaultMustBeAValueTheKeyAccepts() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConfigKey.integer("server.port", 70000, 0, 65535, "test"))
        .withMessage("default of server.port is \"70000\": expected an integer from 0 to 65535");
    assertThatIllegalArgumentException().isThrownBy(() -> ConfigKey.duration("a.b", Duration.ofSeconds(-1), "test"));
    assertThatIllegalArgumentException().isThrownBy(() -> ConfigKey.string("a.b", " ", "test"));
    assertThatIllegalArgumentException().isThrownBy(() -> ConfigKey.choice("a.b", "loud", List.of("quiet"), "test"));
  }

  @Test
  void anEmulatorAddsItsKeysAfterTheRuntimesWithoutChangingThem() {
    ConfigKey<Integer> buckets = ConfigKey.integer("s3.max_buckets", 100, 1, 1000, "test");

    ConfigSchema schema = RuntimeKeys.SCHEMA.plus(buckets);

    assertThat(schema.keys()).startsWith(RuntimeKeys.SCHEMA.keys().toArray(ConfigKey<?>[]::new)).endsWith(buckets);
    assertThat(schema.find("s3.max_buckets")).containsSame(buckets);
    assertThat(RuntimeKeys.SCHEMA.find("s3.max_buckets")).isEmpty();
  }

  @Test
  void aSchemaRefusesTheSamePathTwice() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RuntimeKeys.SCHEMA.plus(ConfigKey.integer("server.port", 1, 0, 9, "again")))
        .withMessage("duplicate key server.port");
  }

  @Test
  void aSchemaRefusesKeysThatShareAnEnvironmentVariable() {
    assertThatIllegalArgumentException().isThrownBy(() -> ConfigSchema.of(
        ConfigKey.string("a.b_c", "x", "test"), ConfigKey.string("a_b.c", "x", "test")));
  }

  @Test
  void aSchemaRefusesAKeyNestedUnderAnotherKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RuntimeKeys.SCHEMA.plus(ConfigKey.integer("server.port.tls", 1, 0, 9, "test")))
        .withMessage("server.port.tls cannot be nested under the key server.port");
  }
}
