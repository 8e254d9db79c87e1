package io.quiesce.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigLoader;
import io.quiesce.config.ConfigRequest;
import io.quiesce.config.ConfigSchema;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClusterSettingsTest {

  private static final ConfigSchema SCHEMA = RuntimeKeys.SCHEMA.plus(EventKeys.ALL.toArray(new ConfigKey<?>[0]));

  private static LoadedConfig load(Vertx vertx, String... sets) throws Exception {
    return ConfigLoader.load(() -> vertx, SCHEMA, new ConfigRequest(Optional.empty(), Map.of(), List.of(sets), Map.of()))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void offByDefaultOnLoopbackWithNoSeeds(Vertx vertx) throws Exception {
    ClusterSettings s = ClusterSettings.from(load(vertx));

    assertThat(s.enabled()).isFalse();
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.port()).isEqualTo(5701);
    assertThat(s.members()).isEmpty();
  }

  @Test
  void theClusterNameFollowsThePrefixSoFleetsStayApart(Vertx vertx) throws Exception {
    ClusterSettings s = ClusterSettings.from(load(vertx, "events.prefix=staging", "cluster.enabled=true",
        "cluster.members=10.0.0.1:5701,10.0.0.2:5702"));

    assertThat(s.name()).isEqualTo("staging-events");
    assertThat(s.members()).containsExactly("10.0.0.1:5701", "10.0.0.2:5702");
  }

  @Test
  void aMemberWithoutAValidPortIsAConfigProblemNamingKeyValueAndOrigin(Vertx vertx) throws Exception {
    LoadedConfig config = load(vertx, "cluster.members=10.0.0.1:5701,10.0.0.2");

    assertThatThrownBy(() -> ClusterSettings.from(config)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems().get(0).message())
            .contains("cluster.members").contains("--set").contains("expected host:port").contains("\"10.0.0.2\""));
    assertThatThrownBy(() -> ClusterSettings.from(load(vertx, "cluster.members=h:70000")))
        .isInstanceOf(ConfigException.class);
  }
}
