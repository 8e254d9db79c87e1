package io.quiesce.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.LifecycleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each rule of {@link HealthRules}, alone and in combination. */
class HealthRulesTest {

  private static final HealthPolicy POLICY = new HealthPolicy(Duration.ofMinutes(5), 10, 20, 5);
  private static final ErrorRateWindow.Counts QUIET = new ErrorRateWindow.Counts(0, 0);

  private static ComponentView service(String name, boolean critical, ComponentStatus status) {
    return new ComponentView(name, ComponentKind.SERVICE, critical, status, Instant.EPOCH, null, null, 0, List.of());
  }

  private static ComponentView dependency(String name, boolean critical, ComponentStatus status) {
    return new ComponentView(name, ComponentKind.DEPENDENCY, critical, status, Instant.EPOCH, null, null, 0, List.of());
  }

  private static HealthRules.Verdict running(List<ComponentView> components, ErrorRateWindow.Counts window) {
    return HealthRules.evaluate(LifecycleState.RUNNING, components, window, POLICY);
  }

  @Test
  void runningWithEveryComponentOkIsHealthy() {
    HealthRules.Verdict v = running(List.of(service("a", true, ComponentStatus.OK),
        dependency("db", false, ComponentStatus.OK)), QUIET);

    assertThat(v.state()).isEqualTo(HealthState.HEALTHY);
    assertThat(v.reasons()).isEmpty();
  }

  @Test
  void unknownComponentsDoNotCountAsDown() {
    assertThat(running(List.of(service("a", true, ComponentStatus.UNKNOWN),
        dependency("db", true, ComponentStatus.UNKNOWN)), QUIET).state()).isEqualTo(HealthState.HEALTHY);
  }

  @ParameterizedTest
  @EnumSource(value = LifecycleState.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
  void anyStateButRunningIsFailing(LifecycleState state) {
    HealthRules.Verdict v = HealthRules.evaluate(state, List.of(), QUIET, POLICY);

    assertThat(v.state()).isEqualTo(HealthState.FAILING);
    assertThat(v.reasons()).containsExactly("runtime is " + state.name().toLowerCase() + ", not serving");
  }

  @Test
  void aCriticalServiceDownIsFailing() {
    HealthRules.Verdict v = running(List.of(service("queue", true, ComponentStatus.FAILED)), QUIET);

    assertThat(v.state()).isEqualTo(HealthState.FAILING);
    assertThat(v.reasons()).containsExactly("service queue is down (critical)");
  }

  @Test
  void aCriticalDependencyDownIsFailing() {
    assertThat(running(List.of(dependency("db", true, ComponentStatus.FAILED),
        dependency("cache", false, ComponentStatus.OK)), QUIET).state()).isEqualTo(HealthState.FAILING);
  }

  @Test
  void aNonCriticalComponentDownIsDegraded() {
    HealthRules.Verdict v = running(List.of(service("a", true, ComponentStatus.OK),
        service("thumbnails", false, ComponentStatus.FAILED)), QUIET);

    assertThat(v.state()).isEqualTo(HealthState.DEGRADED);
    assertThat(v.reasons()).containsExactly("service thumbnails is down");
  }

  @Test
  void everyDependencyFailedIsDegradedEvenWhenNoneIsCritical() {
    HealthRules.Verdict v = running(List.of(dependency("a", false, ComponentStatus.FAILED),
        dependency("b", false, ComponentStatus.FAILED)), QUIET);

    assertThat(v.state()).isEqualTo(HealthState.DEGRADED);
    assertThat(v.reasons()).contains("every dependency failed");
  }

  @Test
  void oneOfTwoNonCriticalDependenciesFailedIsDegradedForThatOneOnly() {
    HealthRules.Verdict v = running(List.of(dependency("a", false, ComponentStatus.FAILED),
        dependency("b", false, ComponentStatus.UNKNOWN)), QUIET);

    assertThat(v.reasons()).containsExactly("dependency a is down");
  }

  @Test
  void anErrorRateOverTheThresholdIsDegraded() {
    HealthRules.Verdict v = running(List.of(), new ErrorRateWindow.Counts(100, 11));

    assertThat(v.state()).isEqualTo(HealthState.DEGRADED);
    assertThat(v.reasons()).containsExactly("error rate 11.0% (11 of 100 requests) over 10%");
  }

  @Test
  void anErrorRateAtTheThresholdIsStillHealthy() {
    assertThat(running(List.of(), new ErrorRateWindow.Counts(100, 10)).state()).isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void tooFewRequestsNeverMakeAnErrorRate() {
    assertThat(running(List.of(), new ErrorRateWindow.Counts(19, 19)).state()).isEqualTo(HealthState.HEALTHY);
    assertThat(running(List.of(), new ErrorRateWindow.Counts(20, 19)).state()).isEqualTo(HealthState.DEGRADED);
  }

  @Test
  void failingWinsOverDegradedAndKeepsEveryReason() {
    HealthRules.Verdict v = running(List.of(service("core", true, ComponentStatus.FAILED),
        service("extra", false, ComponentStatus.FAILED)), new ErrorRateWindow.Counts(100, 50));

    assertThat(v.state()).isEqualTo(HealthState.FAILING);
    assertThat(v.reasons()).hasSize(3).first().isEqualTo("service core is down (critical)");
  }
}
