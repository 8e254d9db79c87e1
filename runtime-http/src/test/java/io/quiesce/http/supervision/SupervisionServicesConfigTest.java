package io.quiesce.http.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ManagedService;
import io.quiesce.config.ConfigException;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.TestEmulator;
import io.quiesce.supervision.RestartMode;
import io.quiesce.supervision.RestartPolicy;
import io.vertx.core.Future;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code supervision.services} gives one managed service its own policy, threshold and check interval. */
@Timeout(60)
class SupervisionServicesConfigTest {

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  private static int restarts(TestEmulator emulator, String service) throws Exception {
    return RawConnection.get(emulator.port(), "/_quiesce/health").json().getJsonObject("components").getJsonObject(service)
        .getInteger("restarts");
  }

  @Test
  void anOverrideRestartsAfterOneFailedCheckWhereTheDefaultsWouldWaitForThree() throws Exception {
    RestartInPlaceTest.Flaky flaky = new RestartInPlaceTest.Flaky();
    ManagedService steady = ManagedService.of("steady", Future::succeededFuture, Future::succeededFuture);
    emulator = TestEmulator.start(rt -> {
      rt.manage(flaky);
      rt.manage(steady);
    }, "supervision.check_interval=1h", "supervision.backoff_initial=0s", "supervision.services=flaky:always::100ms");

    assertThat(emulator.runtime().supervisor().policy("flaky").mode()).isEqualTo(RestartMode.ALWAYS);
    assertThat(emulator.runtime().supervisor().policy("flaky").checkInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(emulator.runtime().supervisor().policy("flaky").failureThreshold()).as("kept from the defaults").isEqualTo(3);
    assertThat(emulator.runtime().supervisor().policy("steady")).as("others keep the defaults")
        .isEqualTo(RestartPolicy.from(emulator.runtime().config()));

    flaky.broken.set(true);
    // With the defaults (on-failure after 3 checks an hour apart) this would take hours.
    await().atMost(Duration.ofSeconds(20)).until(() -> restarts(emulator, "flaky") >= 1);
    assertThat(flaky.starts.get()).isGreaterThanOrEqualTo(2);
    assertThat(restarts(emulator, "steady")).isZero();
  }

  @Test
  void theConfigurationWinsOverTheEmulatorsCodeForTheFieldsItSets() throws Exception {
    RestartInPlaceTest.Flaky flaky = new RestartInPlaceTest.Flaky();
    emulator = TestEmulator.start(rt -> {
      rt.manage(flaky, RestartPolicy.from(rt.config()).withMode(RestartMode.ALWAYS)
          .withCheckInterval(Duration.ofSeconds(7)), false);
    }, "supervision.services=flaky:never");

    RestartPolicy policy = emulator.runtime().supervisor().policy("flaky");
    assertThat(policy.mode()).isEqualTo(RestartMode.NEVER);
    assertThat(policy.checkInterval()).as("from the code, not overridden").isEqualTo(Duration.ofSeconds(7));
    assertThat(emulator.runtime().health().component("flaky").critical()).isFalse();
  }

  @Test
  void anOverrideNamingNoManagedServiceFailsStartupWithAConfigurationError() {
    assertThatThrownBy(() -> emulator = TestEmulator.start(
        rt -> rt.manage(new RestartInPlaceTest.Flaky()), "supervision.services=flakey:always"))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
            .isEqualTo("supervision.services = \"flakey:always\" (--set supervision.services=flakey:always): "
                + "no managed service named 'flakey' (managed services: flaky)"));
  }
}
