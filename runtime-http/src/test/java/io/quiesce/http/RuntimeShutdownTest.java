package io.quiesce.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import io.quiesce.api.QuiesceRuntime;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shutting a runtime down is run-once: however many callers, one sequence and one report. */
@Timeout(60)
class RuntimeShutdownTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void twoShutdownCallsReturnTheSameReport() throws Exception {
    emulator = TestEmulator.start();
    QuiesceRuntime rt = emulator.runtime();

    Future<ShutdownReport> first = rt.shutdown(ShutdownReason.MANUAL);
    Future<ShutdownReport> second = rt.shutdown(ShutdownReason.SIGNAL);

    ShutdownReport one = TestEmulator.await(first);
    ShutdownReport two = TestEmulator.await(second);
    assertThat(two).isSameAs(one);
    assertThat(one.reason()).as("the first reason wins").isEqualTo(ShutdownReason.MANUAL);
    assertThat(rt.state()).isEqualTo(LifecycleState.STOPPED);
    assertThat(TestEmulator.await(rt.shutdown(ShutdownReason.ERROR))).as("after STOPPED too").isSameAs(one);
  }
}
