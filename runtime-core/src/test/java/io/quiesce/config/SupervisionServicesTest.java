package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code supervision.services}: per-service supervision settings, read and checked with the configuration. */
@ExtendWith(VertxExtension.class)
class SupervisionServicesTest {

  private static final ConfigKey<java.util.List<SupervisionOverride>> KEY = RuntimeKeys.SUPERVISION_SERVICES;

  @TempDir
  Path dir;

  private static ConfigLoading loading(Vertx vertx) {
    return ConfigLoading.with(vertx).schema(RuntimeKeys.SCHEMA);
  }

  @Test
  void entriesFromYamlWithFieldsLeftOutOrEmpty(Vertx vertx) throws Exception {
    Path file = ConfigLoading.yaml(dir, "q.yaml",
        "supervision:\n  services:\n    - queue:always\n    - thumbnails:on-failure:5:2s\n    - index:::500ms\n");

    assertThat(loading(vertx).file(file).load().get(KEY)).containsExactly(
        new SupervisionOverride("queue", "always", null, null),
        new SupervisionOverride("thumbnails", "on-failure", 5, Duration.ofSeconds(2)),
        new SupervisionOverride("index", null, null, Duration.ofMillis(500)));
  }

  @Test
  void fromSetAndTheEnvironmentCommaSeparatedAndTheDefaultIsNone(Vertx vertx) throws Exception {
    assertThat(loading(vertx).set("supervision.services=queue:NEVER,db::2").load().get(KEY)).containsExactly(
        new SupervisionOverride("queue", "never", null, null), new SupervisionOverride("db", null, 2, null));
    assertThat(loading(vertx).env("QUIESCE_SUPERVISION_SERVICES", "queue:always::1m").load().get(KEY))
        .containsExactly(new SupervisionOverride("queue", "always", null, Duration.ofMinutes(1)));
    assertThat(loading(vertx).load().get(KEY)).isEmpty();
  }

  @Test
  void formatReadsBack(Vertx vertx) throws Exception {
    var parsed = loading(vertx).set("supervision.services=queue:always,thumbnails:on-failure:5:2s,index:::500ms")
        .load().get(KEY);

    assertThat(KEY.format(parsed)).isEqualTo("queue:always,thumbnails:on-failure:5:2s,index:::500ms");
  }

  @Test
  void eachBadEntryIsNamedWithWhatIsWrong(Vertx vertx) throws Exception {
    assertThat(loading(vertx).set("supervision.services=queue:sometimes").problems()).singleElement().asString()
        .startsWith("supervision.services = \"queue:sometimes\" (--set supervision.services=queue:sometimes): item 1 ")
        .contains("restart \"sometimes\" is not valid").contains("never, on-failure");
    assertThat(loading(vertx).set("supervision.services=queue:always,db:on-failure:0").problems()).singleElement()
        .asString().contains("item 2 \"db:on-failure:0\": failure threshold \"0\" is not valid");
    assertThat(loading(vertx).set("supervision.services=queue:always::soon").problems()).singleElement().asString()
        .contains("check interval \"soon\" is not valid");
    assertThat(loading(vertx).set("supervision.services=queue:always::0s").problems()).singleElement().asString()
        .contains("check interval must be more than 0");
    assertThat(loading(vertx).set("supervision.services=queue").problems()).singleElement().asString()
        .contains("\"queue\" has 1 field(s); expected NAME:RESTART[:FAILURE_THRESHOLD[:CHECK_INTERVAL]]");
    assertThat(loading(vertx).set("supervision.services=queue:::").problems()).singleElement().asString()
        .contains("changes nothing");
    assertThat(loading(vertx).set("supervision.services=:always").problems()).singleElement().asString()
        .contains("has no service name");
    assertThat(loading(vertx).set("supervision.services=queue:always,queue:never").problems()).singleElement()
        .asString().contains("item 2 \"queue:never\" names service queue a second time");
  }
}
