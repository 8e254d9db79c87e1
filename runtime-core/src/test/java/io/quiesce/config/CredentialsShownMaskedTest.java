package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A password written into a URL setting never appears where configuration is shown. */
@ExtendWith(VertxExtension.class)
class CredentialsShownMaskedTest {

  private static final ConfigKey<String> URL = ConfigKey.string("events.nats_url", "none", "a server URL");
  private static final ConfigKey<Integer> RETRIES = ConfigKey.integer("events.retries", 3, 0, 10, "a number");

  @Test
  void printConfigMasksThePasswordInValueAndOrigin(Vertx vertx) throws Exception {
    LoadedConfig config = ConfigLoading.with(vertx).schema(ConfigSchema.of(URL))
        .set("events.nats_url=nats://alice:s3cret@nats.internal:4222").load();

    assertThat(config.describe()).isEqualTo(
        "events.nats_url = nats://alice:***@nats.internal:4222   (--set events.nats_url=nats://alice:***@nats.internal:4222)");
    assertThat(config.get(URL)).as("the value itself is untouched").isEqualTo("nats://alice:s3cret@nats.internal:4222");
  }

  @Test
  void aProblemOnASettingWithAUrlMasksIt(Vertx vertx) throws Exception {
    assertThat(ConfigLoading.with(vertx).schema(ConfigSchema.of(RETRIES))
        .set("events.retries=nats://tok3n@host").problems())
        .singleElement().asString().contains("nats://***@host").doesNotContain("tok3n");
  }

  @Test
  void redactMasksEveryUrlsUserInfoAndLeavesTheRestAlone() {
    assertThat(UrlCredentials.redact("a nats://u:p@h:1 and https://tok@x/y?q=a@b, mailto:x@y, nats://h:4222"))
        .isEqualTo("a nats://u:***@h:1 and https://***@x/y?q=a@b, mailto:x@y, nats://h:4222");
    assertThat(UrlCredentials.redact(null)).isNull();
  }
}
