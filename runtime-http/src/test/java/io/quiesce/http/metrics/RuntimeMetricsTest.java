package io.quiesce.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiesce.http.testkit.CapturedLog;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The metrics Vert.x reports through {@link RuntimeMetrics}: registered once each, with no warning at start. */
@Timeout(60)
class RuntimeMetricsTest {

  @Test
  void manyEventBusHandlersRegisterNoMeterTwiceAndTheEventBusCountersStay() throws Exception {
    String micrometer = MeterRegistry.class.getName();
    Level before = LogManager.getLogger(micrometer).getLevel();
    // Micrometer warns once per JVM, then logs at DEBUG: DEBUG sees every double registration.
    Configurator.setLevel(micrometer, Level.DEBUG);
    RuntimeMetrics metrics = RuntimeMetrics.create(true, false);
    Vertx vertx = metrics.vertxBuilder(new VertxOptions()).build();
    try (CapturedLog log = CapturedLog.of(MeterRegistry.class)) {
      CountDownLatch delivered = new CountDownLatch(3);
      vertx.eventBus().consumer("a", m -> delivered.countDown()).completion().await(10, TimeUnit.SECONDS);
      vertx.eventBus().consumer("a", m -> delivered.countDown()).completion().await(10, TimeUnit.SECONDS);
      vertx.eventBus().consumer("b", m -> delivered.countDown()).completion().await(10, TimeUnit.SECONDS);
      vertx.eventBus().publish("a", "x");
      vertx.eventBus().send("b", "y");
      assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(log.lines()).noneMatch(l -> l.contains("already registered"));
      assertThat(metrics.registry().find("vertx.eventbus.published").counter()).isNotNull();
      assertThat(metrics.registry().find("vertx.eventbus.sent").counter()).isNotNull();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      Configurator.setLevel(micrometer, before);
    }
  }
}
