package io.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecyclePolicyTest {

  private static final Duration ONE = Duration.ofSeconds(1);
  private static final Duration NEGATIVE = Duration.ofMillis(-1);

  @Test
  void acceptsZeroForEveryLimit() {
    assertThatNoException().isThrownBy(() -> new LifecyclePolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO));
  }

  @Test
  void rejectsANegativeOrMissingLimitNamingIt() {
    assertThatIllegalArgumentException().isThrownBy(() -> new LifecyclePolicy(NEGATIVE, ONE, ONE, ONE)).withMessageContaining("shutdownTimeout");
    assertThatIllegalArgumentException().isThrownBy(() -> new LifecyclePolicy(ONE, NEGATIVE, ONE, ONE)).withMessageContaining("drainDelay");
    assertThatIllegalArgumentException().isThrownBy(() -> new LifecyclePolicy(ONE, ONE, NEGATIVE, ONE)).withMessageContaining("drainTimeout");
    assertThatIllegalArgumentException().isThrownBy(() -> new LifecyclePolicy(ONE, ONE, ONE, null)).withMessageContaining("stopTimeout");
  }
}
