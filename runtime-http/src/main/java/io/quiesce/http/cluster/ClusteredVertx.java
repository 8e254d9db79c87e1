package io.quiesce.http.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.quiesce.events.ClusterSettings;
import io.quiesce.http.metrics.RuntimeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * A Vert.x whose event bus spans processes and machines, through a Hazelcast cluster manager.
 * Only this class names Hazelcast: without {@code cluster.enabled} it is never loaded, and
 * neither is Hazelcast.
 *
 * <p>Members find each other over TCP only (the configured seeds; never multicast or cloud
 * auto-detection), bind to {@code cluster.host} alone, send nothing home, and log through log4j2.
 * Hazelcast's own JVM shutdown hook is off: the runtime leaves the cluster itself when Vert.x
 * closes, after its shutdown event went out.
 */
public final class ClusteredVertx {

  /** How long leaving the cluster may take on close; Vert.x close is awaited for 5 s. */
  private static final int LEAVE_SECONDS = 3;

  private ClusteredVertx() {}

  /** Joins the cluster; completes once this member has joined (or formed) it. */
  public static Future<Vertx> join(ClusterSettings cluster, RuntimeMetrics metrics) {
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(cluster.host())
        .setClusterPublicHost(cluster.host()));
    return metrics.vertxBuilder(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
        .buildClustered();
  }

  /** The Hazelcast configuration for {@code cluster}: Vert.x's own maps plus TCP join on loopback-friendly timeouts. */
  static Config hazelcast(ClusterSettings cluster) {
    Config config = new Config().setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "log4j2");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // Members that started at the same moment and formed two clusters merge within seconds, not minutes.
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", String.valueOf(LEAVE_SECONDS));

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
}
