package io.quiesce.http.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.quiesce.events.ClusterSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Hazelcast configuration behind {@code cluster.enabled} is the one the README's "Join
 * settings" describe for a local fleet: TCP to the listed members only, bound to
 * {@code cluster.host}, its timeouts, and nothing running that nobody reads.
 */
class ClusteredVertxTest {

  private final Config config = ClusteredVertx.hazelcast(
      new ClusterSettings(true, "fleet-events", "127.0.0.1", 5701, List.of("127.0.0.1:5702", "127.0.0.1:5703")), member -> {});

  @Test
  void membersAreFoundOverTcpAtTheListedAddressesOnly() {
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(config.getClusterName()).isEqualTo("fleet-events");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
  }

  @Test
  void joinTimeoutsAreTheDocumentedOnes() {
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(2);
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.wait.seconds.before.join")).isEqualTo("2");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
    assertThat(config.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.graceful.shutdown.max.wait")).isEqualTo("3");
    assertThat(config.getProperty("hazelcast.initial.min.cluster.size")).as("no quorum waited for").isNull();
  }

  @Test
  void hazelcastsOwnMetricsJmxBeansAndHealthMonitorAreOff() {
    assertThat(config.getMetricsConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.health.monitoring.level")).isEqualTo("OFF");
  }
}
