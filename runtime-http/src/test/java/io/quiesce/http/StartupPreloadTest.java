package io.quiesce.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The Ready line's "started in" counts from the JVM's own start, whether or not the preload has answered yet. */
class StartupPreloadTest {

  @Test
  void jvmStartIsTheManagementBeansStartTime() {
    long expected = ManagementFactory.getRuntimeMXBean().getStartTime();
    StartupPreload preload = StartupPreload.start();
    assertThat(preload.jvmStartMillis()).isEqualTo(expected);
  }
}
