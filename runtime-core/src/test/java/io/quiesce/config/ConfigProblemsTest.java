package io.quiesce.config;

import static io.quiesce.config.ConfigLoading.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ConfigProblemsTest {

  @TempDir
  Path dir;

  private ConfigLoading loading;

  @BeforeEach
  void setUp(Vertx vertx) {
    loading = ConfigLoading.with(vertx);
  }

  @Test
  void aBadValueNamesKeyValueOriginAndWhatIsExpected() throws Exception {
    assertThat(loading.env("QUIESCE_SERVER_SHUTDOWN_TIMEOUT", "-5").problems()).containsExactly(
        "server.shutdown_timeout = \"-5\" (env QUIESCE_SERVER_SHUTDOWN_TIMEOUT): expected a duration >= 0, e.g. 30, 30s or 500ms");
  }

  @Test
  void anIntegerOutOfRangeStatesTheRange() throws Exception {
    assertThat(loading.set("server.port=70000").problems()).containsExactly(
        "server.port = \"70000\" (--set server.port=70000): expected an integer from 0 to 65535");
  }

  @Test
  void anUnknownKeyInTheFileSuggestsTheClosestKnownKey() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  shutdown_timout: 45s\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "unknown key \"server.shutdown_timout\" (file " + file + "); did you mean \"server.shutdown_timeout\"?");
  }

  @Test
  void anUnknownSectionIsReportedPerKeyWithASuggestion() throws Exception {
    Path file = yaml(dir, "x.yaml", "servr:\n  port: 9000\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "unknown key \"servr.port\" (file " + file + "); did you mean \"server.port\"?");
  }

  @Test
  void anUnknownKeyFarFromAnyKnownKeyGetsNoSuggestion() throws Exception {
    Path file = yaml(dir, "x.yaml", "colour: blue\n");

    assertThat(loading.file(file).problems()).containsExactly("unknown key \"colour\" (file " + file + ")");
  }

  @Test
  void anUnknownKeyInAnOverrideSuggestsTheClosestKnownKey() throws Exception {
    assertThat(loading.set("log.levle=debug").problems()).containsExactly(
        "unknown key \"log.levle\" (--set log.levle=debug); did you mean \"log.level\"?");
  }

  @Test
  void anUnknownApplicationDefaultIsAProblem() throws Exception {
    assertThat(loading.applicationDefault("server.prot", 4566).problems()).containsExactly(
        "unknown key \"server.prot\" (application default); did you mean \"server.port\"?");
  }

  @Test
  void malformedYamlGivesTheLineAndColumnCountedFromOne() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  port: 1\n   host: x\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "file " + file + ": malformed YAML at line 3, column 8: mapping values are not allowed here");
  }

  @Test
  void tabIndentationIsMalformedYamlAtTheTab() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n\tport: 1\n");

    assertThat(loading.file(file).problems()).singleElement().asString()
        .startsWith("file " + file + ": malformed YAML at line 2, column 1: found character '\\t(TAB)'");
  }

  @Test
  void aFileThatIsNotAMappingIsReported() throws Exception {
    Path file = yaml(dir, "x.yaml", "- server.port: 1\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "file " + file + ": expected a mapping at the top level, e.g. \"server: {port: 8080}\"");
  }

  @Test
  void aMissingFileCannotBeRead() throws Exception {
    Path file = dir.resolve("absent.yaml");

    assertThat(loading.file(file).problems()).containsExactly("file " + file + ": cannot read: no such file");
  }

  @Test
  void aRelativeFileIsNamedAsGiven() throws Exception {
    Path file = Path.of("no-such-dir", "dev.yaml");

    assertThat(loading.file(file).problems()).containsExactly("file no-such-dir/dev.yaml: cannot read: no such file");
  }

  @Test
  void anOverrideWithoutEqualsSignIsMalformed() throws Exception {
    assertThat(loading.set("foo", "=9000").problems()).containsExactly(
        "--set \"foo\": expected key=value",
        "--set \"=9000\": expected key=value");
  }

  @Test
  void anEmptyYamlValueNamesTheKey() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  port:\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "server.port (file " + file + "): no value given; expected an integer from 0 to 65535");
  }

  @Test
  void aMappingOrListWhereAValueBelongsNamesTheKey() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  port:\n    http: 80\n  host: [a, b]\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "server.port (file " + file + "): expected an integer from 0 to 65535, not a mapping",
        "server.host (file " + file + "): expected a non-blank string, not a list");
  }

  @Test
  void aValueWhereASectionBelongsNamesTheSection() throws Exception {
    Path file = yaml(dir, "x.yaml", "server: 9000\n");

    assertThat(loading.file(file).problems()).containsExactly(
        "server = \"9000\" (file " + file + "): expected keys under \"server\" (such as server.host), not a value");
  }

  @Test
  void everyProblemIsReportedTogetherOnePerLine() throws Exception {
    Path file = yaml(dir, "x.yaml", "server:\n  port: 70000\n  drain_delay: soon\n");

    ConfigException failure = loading.file(file)
        .env("QUIESCE_LOG_LEVEL", "loud")
        .set("server.host= ", "nonsense")
        .failure();

    assertThat(failure.problems()).hasSize(5);
    assertThat(failure.getMessage()).isEqualTo(String.join("\n",
        "server.port = \"70000\" (file " + file + "): expected an integer from 0 to 65535",
        "server.drain_delay = \"soon\" (file " + file + "): expected a duration >= 0, e.g. 30, 30s or 500ms",
        "log.level = \"loud\" (env QUIESCE_LOG_LEVEL): expected one of trace, debug, info, warn, error",
        "server.host = \" \" (--set server.host= ): expected a non-blank string",
        "--set \"nonsense\": expected key=value"));
  }

  @Test
  void problemsKeepTheirPartsForCallersThatGroupThem() throws Exception {
    ConfigProblem problem = loading.set("server.port=70000").failure().problems().get(0);

    assertThat(problem.key()).isEqualTo("server.port");
    assertThat(problem.value()).isEqualTo("70000");
    assertThat(problem.origin()).isEqualTo(ConfigOrigin.cli("server.port=70000"));
  }

  @Test
  void aMalformedFileStillLetsTheOtherLayersReportTheirProblems() throws Exception {
    Path file = yaml(dir, "x.yaml", "server: [\n");

    assertThat(loading.file(file).set("server.port=-1").problems()).hasSize(2)
        .last().isEqualTo("server.port = \"-1\" (--set server.port=-1): expected an integer from 0 to 65535");
  }

  @Test
  void anUnknownQuiesceVariableIsAWarningNotAnError() throws Exception {
    LoadedConfig config = loading
        .env("QUIESCE_SERVER_PROT", "9000")
        .env("QUIESCE_HOME", "/opt/quiesce")
        .env("PATH", "/usr/bin")
        .load();

    assertThat(config.get(RuntimeKeys.SERVER_PORT)).isEqualTo(8080);
    assertThat(config.warnings()).containsExactly(
        "unknown variable \"QUIESCE_HOME\" (env), ignored",
        "unknown variable \"QUIESCE_SERVER_PROT\" (env), ignored; did you mean \"QUIESCE_SERVER_PORT\"?");
  }

  @Test
  void loadNeverThrowsButFailsTheFuture(Vertx vertx) throws Exception {
    Throwable failure = ConfigLoading.failureOf(ConfigLoader.load(() -> vertx, RuntimeKeys.SCHEMA, null));

    assertThat(failure).isInstanceOf(NullPointerException.class);
  }
}
