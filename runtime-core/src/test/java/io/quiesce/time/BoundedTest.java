package io.quiesce.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedTest {

  private static final Duration LIMIT = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock();

  @Test
  void aStepThatFinishesWithinItsLimitIsNotTimedOut() {
    Promise<String> step = Promise.promise();
    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, step::future);

    clock.advance(Duration.ofSeconds(2));
    assertThat(outcome.isComplete()).isFalse();
    step.complete("done");

    assertThat(outcome.result().timedOut()).isFalse();
    assertThat(outcome.result().succeeded()).isTrue();
    assertThat(outcome.result().failure()).isNull();
    assertThat(outcome.result().took()).isEqualTo(Duration.ofSeconds(2));
    assertThat(clock.pendingTasks()).as("the limit timer is withdrawn").isZero();
  }

  @Test
  void aStepThatIsAlreadyDoneCompletesAtOnce() {
    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, Future::succeededFuture);

    assertThat(outcome.result().succeeded()).isTrue();
    assertThat(outcome.result().took()).isZero();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aStepStillRunningWhenTheLimitPassesIsTimedOut() {
    Promise<Void> step = Promise.promise();
    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, step::future);

    clock.advance(LIMIT.minusMillis(1));
    assertThat(outcome.isComplete()).isFalse();
    clock.advance(Duration.ofMillis(1));

    assertThat(outcome.result().timedOut()).isTrue();
    assertThat(outcome.result().succeeded()).isFalse();
    assertThat(outcome.result().took()).isEqualTo(LIMIT);

    step.complete(); // finishing late changes nothing
    assertThat(outcome.result().timedOut()).isTrue();
  }

  @Test
  void aStepThatFailsWithinItsLimitReportsItsFailure() {
    IllegalStateException boom = new IllegalStateException("boom");
    Promise<Void> step = Promise.promise();
    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, step::future);

    step.fail(boom);

    assertThat(outcome.succeeded()).as("the bounded future itself never fails").isTrue();
    assertThat(outcome.result().timedOut()).isFalse();
    assertThat(outcome.result().failure()).isSameAs(boom);
    assertThat(outcome.result().succeeded()).isFalse();
  }

  @Test
  void aStepThatThrowsInsteadOfReturningAFutureCountsAsFailed() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad input");

    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, () -> {
      throw thrown;
    });

    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.result().timedOut()).isFalse();
    assertThat(outcome.result().failure()).isSameAs(thrown);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aStepThatReturnsNoFutureCountsAsFailed() {
    Future<Bounded.Outcome> outcome = Bounded.run(clock, LIMIT, () -> null);

    assertThat(outcome.result().timedOut()).isFalse();
    assertThat(outcome.result().failure()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aZeroLimitTimesOutAStepThatIsNotAlreadyDone() {
    Future<Bounded.Outcome> outcome = Bounded.run(clock, Duration.ZERO, () -> Promise.promise().future());

    clock.advance(Duration.ZERO);

    assertThat(outcome.result().timedOut()).isTrue();
  }
}
