package io.quiesce.http.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.quiesce.events.ClusterSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A small Vert.x whose event bus spans processes and machines, through a Hazelcast cluster
 * manager. Only this package names Hazelcast: without {@code cluster.enabled} it is never loaded.
 *
 * <p>Members find each other over TCP only (the configured seeds; never multicast or cloud
 * auto-detection), bind to {@code cluster.host} alone and send nothing home. Hazelcast logs
 * through log4j2, at WARN and above (its start-up banner and advice are INFO); the joins and
 * departures of members are logged here, one line each. Hazelcast's own JVM shutdown hook is
 * off: the member leaves when this Vert.x closes, after the shutdown event went out.
 */
public final class ClusteredVertx {

  private static final Logger LOG = LogManager.getLogger(ClusteredVertx.class);
  /** How long leaving the cluster may take on close; the runtime waits 5 s for its transports. */
  private static final int LEAVE_SECONDS = 3;

  private ClusteredVertx() {}

  /**
   * Joins the cluster; completes once this member has joined it, or formed it alone when no listed
   * member answered. {@code membersAdded} is told (on a Hazelcast thread) each time a member joins
   * after this one, also when two clusters that formed apart merge.
   */
  public static Future<Vertx> join(ClusterSettings cluster, Consumer<String> membersAdded) {
    // Hazelcast's first lines (the JDK access check) are logged before any Config is read: only
    // the system property reaches them.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "log4j2");
    }
    // Events are few and small: one event loop and a few workers (Hazelcast's blocking calls) do.
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4)
        .setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()));
    return Vertx.builder().with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster, membersAdded)))
        .buildClustered();
  }

  /** The Hazelcast configuration for {@code cluster}: Vert.x's own maps plus TCP join on loopback-friendly timeouts. */
  static Config hazelcast(ClusterSettings cluster, Consumer<String> membersAdded) {
    Config config = new Config().setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "log4j2");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Hazelcast's own metrics (collected every 5 s and published as JMX beans) and health monitor:
    // nobody reads them here (the runtime has its own metrics), and they cost CPU at the join,
    // just when members started together are still starting.
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.getMetricsConfig().setEnabled(false);
    // Loopback-friendly timeouts: a joiner is admitted at once (Hazelcast's asynchronous join) and
    // partitions move to it after 1 s without another joiner (2 s at most while others keep
    // coming); a listed member that does not answer is given up on after 2 s. Tighter values (0 s,
    // 1 s) made members join, drop and rejoin each other on a loaded machine; since start-up no
    // longer waits for the join, these cost no readiness.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // Members that started at the same moment and formed two clusters merge within seconds, not minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", String.valueOf(LEAVE_SECONDS));
    config.addListenerConfig(new ListenerConfig(new Membership(cluster.name(), membersAdded)));

    NetworkConfig network = config.getNetworkConfig()
        .setPort(cluster.port())
        .setPortAutoIncrement(false)
        .setPublicAddress(cluster.host() + ":" + cluster.port());
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(cluster.members());

    // What Vert.x's default-cluster.xml declares for its subscription and node registries.
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }

  /** One log line per member that joins or leaves: what Hazelcast's INFO member lists said in eight. */
  private record Membership(String cluster, Consumer<String> membersAdded) implements MembershipListener {

    @Override
    public void memberAdded(MembershipEvent event) {
      if (event.getMember().localMember()) {
        return; // this member forming the cluster; ClusterTransport says when it has joined
      }
      String member = address(event);
      LOG.info("Event cluster {}: {} joined ({} members)", cluster, member, event.getMembers().size());
      membersAdded.accept(member);
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      LOG.info("Event cluster {}: {} left ({} members)", cluster, address(event), event.getMembers().size());
    }

    private static String address(MembershipEvent event) {
      return event.getMember().getAddress().getHost() + ":" + event.getMember().getAddress().getPort();
    }
  }
}
