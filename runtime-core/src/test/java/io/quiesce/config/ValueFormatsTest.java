package io.quiesce.config;

import static io.quiesce.config.ConfigLoading.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(VertxExtension.class)
class ValueFormatsTest {

  private static final ConfigKey<Boolean> ENABLED = ConfigKey.bool("feature.enabled", false, "test switch");
  private static final ConfigSchema WITH_SWITCH = RuntimeKeys.SCHEMA.plus(ENABLED);

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "45,     PT45S",
      "0.5,    PT0.5S",
      "0,      PT0S",
      "500ms,  PT0.5S",
      "30s,    PT30S",
      "1.5s,   PT1.5S",
      "2m,     PT2M",
      "1h,     PT1H",
      "0.25ms, PT0.00025S",
      "' 10s', PT10S",
  })
  void durationsAreSecondsOrANumberWithAUnit(String text, Duration expected) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).set("server.drain_delay=" + text).load();

    assertThat(config.get(RuntimeKeys.SERVER_DRAIN_DELAY)).isEqualTo(expected);
  }

  @Test
  void yamlNumbersAndStringsAreDurationsToo() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  drain_delay: 45\n  idle_grace: 0.5\n  stop_timeout: '3s'\n");

    LoadedConfig config = ConfigLoading.with(vertx).file(file).load();

    assertThat(config.get(RuntimeKeys.SERVER_DRAIN_DELAY)).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.get(RuntimeKeys.SERVER_IDLE_GRACE)).isEqualTo(Duration.ofMillis(500));
    assertThat(config.get(RuntimeKeys.SERVER_STOP_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"abc", "-1", "5 parsecs", "", "30 sec", "1d", ".5s", "PT30S"})
  void otherDurationsAreRefused(String text) throws Exception {
    assertThat(ConfigLoading.with(vertx).set("server.drain_delay=" + text).problems()).containsExactly(
        "server.drain_delay = \"" + text + "\" (--set server.drain_delay=" + text
            + "): expected a duration >= 0, e.g. 30, 30s or 500ms");
  }

  @Test
  void aNegativeYamlNumberIsNotADuration() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  drain_delay: -0.5\n");

    assertThat(ConfigLoading.with(vertx).file(file).problems()).containsExactly(
        "server.drain_delay = \"-0.5\" (file " + file + "): expected a duration >= 0, e.g. 30, 30s or 500ms");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({"PT30S, 30s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT1M30S, 90s", "PT2M, 2m", "PT1H, 1h", "PT0S, 0s",
      "PT0.0005S, 0.0005s"})
  void durationsAreShownInTheLargestWholeUnitAndReadBack(Duration value, String shown) throws Exception {
    assertThat(RuntimeKeys.SERVER_DRAIN_DELAY.format(value)).isEqualTo(shown);
    assertThat(ConfigLoading.with(vertx).set("server.drain_delay=" + shown).load().get(RuntimeKeys.SERVER_DRAIN_DELAY))
        .isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"true, true", "FALSE, false", "True, true", "' false ', false"})
  void booleansAreTrueOrFalseInAnyCase(String text, boolean expected) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).schema(WITH_SWITCH).env("QUIESCE_FEATURE_ENABLED", text).load();

    assertThat(config.get(ENABLED)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"yes", "1", "on", ""})
  void nothingElseIsABoolean(String text) throws Exception {
    assertThat(ConfigLoading.with(vertx).schema(WITH_SWITCH).set("feature.enabled=" + text).problems())
        .containsExactly("feature.enabled = \"" + text + "\" (--set feature.enabled=" + text + "): expected true or false");
  }

  @Test
  void aYamlBooleanIsABoolean() throws Exception {
    Path file = yaml(dir, "x.yaml", "feature:\n  enabled: true\n");

    assertThat(ConfigLoading.with(vertx).schema(WITH_SWITCH).file(file).load().get(ENABLED)).isTrue();
  }

  @Test
  void choicesIgnoreCaseAndAreLowerCased() throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).env("QUIESCE_LOG_LEVEL", "WaRN").load();

    assertThat(config.get(RuntimeKeys.LOG_LEVEL)).isEqualTo("warn");
  }

  @Test
  void aChoiceOutsideTheListNamesTheAllowedValues() throws Exception {
    assertThat(ConfigLoading.with(vertx).set("log.level=verbose").problems()).containsExactly(
        "log.level = \"verbose\" (--set log.level=verbose): expected one of trace, debug, info, warn, error");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"http", "80.5", "8080.0", "-1", "65536", "99999999999999999999"})
  void integersMustBeWholeNumbersInRange(String text) throws Exception {
    assertThat(ConfigLoading.with(vertx).set("server.port=" + text).problems()).containsExactly(
        "server.port = \"" + text + "\" (--set server.port=" + text + "): expected an integer from 0 to 65535");
  }

  @Test
  void theRangeIsInclusive() throws Exception {
    assertThat(ConfigLoading.with(vertx).set("server.port=0").load().get(RuntimeKeys.SERVER_PORT)).isZero();
    assertThat(ConfigLoading.with(vertx).set("server.port=65535").load().get(RuntimeKeys.SERVER_PORT)).isEqualTo(65535);
  }

  @Test
  void stringsAreStrippedAndMustNotBeBlank() throws Exception {
    assertThat(ConfigLoading.with(vertx).env("QUIESCE_SERVER_HOST", " 0.0.0.0 ").load().get(RuntimeKeys.SERVER_HOST))
        .isEqualTo("0.0.0.0");
    assertThat(ConfigLoading.with(vertx).env("QUIESCE_SERVER_HOST", "").problems()).containsExactly(
        "server.host = \"\" (env QUIESCE_SERVER_HOST): expected a non-blank string");
  }

  @Test
  void aYamlNumberForAStringKeyMustBeQuotedSoItKeepsItsDigits() throws Exception {
    Path file = yaml(dir, "x.yaml", "service:\n  version: 1.10\n");

    assertThat(ConfigLoading.with(vertx).file(file).problems()).containsExactly(
        "service.version = \"1.1\" (file " + file + "): expected a string; quote the value in YAML to keep it as written");
  }
}
