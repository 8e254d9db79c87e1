package io.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.ManagedService;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownReason;
import io.quiesce.api.ShutdownReport.Outcome;
import io.quiesce.api.ShutdownReport.Task;
import io.quiesce.api.ShutdownReport;
import io.quiesce.api.TaskCutException;
import io.quiesce.time.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The report names every phase and every task with its outcome, and tasks of a phase run as the table says. */
class ShutdownPhasesReportTest {

  private final ManualClock clock = new ManualClock();
  private final LifecycleManager lifecycle = new LifecycleManager(clock,
      new LifecyclePolicy(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(2)));
  private final List<String> journal = new CopyOnWriteArrayList<>();

  @Test
  void everyPhaseAndTaskIsReportedWithItsOutcomeInTheOrderTheyRan() {
    lifecycle.register(ManagedService.of("store", Future::succeededFuture, () -> {
      journal.add("store stopped");
      return Future.succeededFuture();
    }));
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "flush-queue", ctx -> Future.failedFuture(new TaskCutException("3 messages dropped")));
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "save", ctx -> {
      journal.add("saved");
      return Future.succeededFuture();
    });
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "broken", ctx -> Future.failedFuture(new IllegalStateException("disk full")));
    assertThat(lifecycle.start().succeeded()).isTrue();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.SIGNAL);
    clock.advance(Duration.ofSeconds(1)); // the drain delay

    ShutdownReport report = done.result();
    assertThat(report.phases()).extracting(ShutdownReport.Phase::name)
        .containsExactly("readiness_down", "drain_delay", "unbind", "drain_requests", "before_stop", "stop_services");
    assertThat(tasks(report, 1)).containsExactly(new Task("drain delay", Outcome.OK, Duration.ofSeconds(1), null));
    assertThat(tasks(report, 3)).extracting(Task::name, Task::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("refuse new work", Outcome.OK),
            org.assertj.core.groups.Tuple.tuple("in-flight work", Outcome.OK),
            org.assertj.core.groups.Tuple.tuple("flush-queue", Outcome.CUT));
    assertThat(tasks(report, 4)).extracting(Task::name, Task::outcome, Task::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("save", Outcome.OK, null),
            org.assertj.core.groups.Tuple.tuple("broken", Outcome.FAILED, "disk full"));
    assertThat(tasks(report, 5)).extracting(Task::name).containsExactly("store");
    assertThat(journal).containsExactly("saved", "store stopped");
    assertThat(report.cut()).containsExactly("drain_requests/flush-queue: 3 messages dropped");
    assertThat(report.failures()).containsExactly("before_stop/broken: disk full");
    assertThat(report.forced()).isTrue();

    JsonObject json = report.toJson();
    assertThat(json.getJsonArray("phases").getJsonObject(3).getJsonArray("tasks").getJsonObject(2).getString("outcome"))
        .isEqualTo("cut");
  }

  @Test
  void tasksOfADrainPhaseRunTogetherAndABeforeStopTaskLeftWithoutTimeIsSkipped() {
    Promise<Void> slow = Promise.promise();
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "slow", ctx -> {
      journal.add("slow began");
      return slow.future();
    });
    lifecycle.addTask(ShutdownPhase.DRAIN_REQUESTS, "quick", ctx -> {
      journal.add("quick began");
      return Future.succeededFuture();
    });
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "hangs", ctx -> Promise.<Void>promise().future());
    lifecycle.addTask(ShutdownPhase.BEFORE_STOP, "never-reached", ctx -> {
      journal.add("never-reached ran");
      return Future.succeededFuture();
    });
    assertThat(lifecycle.start().succeeded()).isTrue();

    Future<ShutdownReport> done = lifecycle.shutdown(ShutdownReason.MANUAL);
    clock.advance(Duration.ofSeconds(1));
    assertThat(journal).as("both drain tasks began without waiting for each other").containsExactly("slow began", "quick began");
    slow.complete();
    clock.advance(Duration.ofSeconds(9));

    ShutdownReport report = done.result();
    assertThat(tasks(report, 4)).extracting(Task::name, Task::outcome)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hangs", Outcome.CUT),
            org.assertj.core.groups.Tuple.tuple("never-reached", Outcome.SKIPPED));
    assertThat(journal).doesNotContain("never-reached ran");
    assertThat(report.total()).isEqualTo(Duration.ofSeconds(10));
  }

  private static List<Task> tasks(ShutdownReport report, int phase) {
    return report.phases().get(phase).tasks();
  }
}
