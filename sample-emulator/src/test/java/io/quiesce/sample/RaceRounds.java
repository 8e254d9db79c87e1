package io.quiesce.sample;

import static org.assertj.core.api.Assertions.fail;

import io.quiesce.test.probe.ProbeResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Drain rounds under load, each against a fresh process, until one exercised the drain's race: a
 * request written on a reused connection after the signal. A round without one (the clients got the
 * CPU only once the drain had already answered their last requests with {@code Connection: close})
 * shows nothing about the race and does not count, as in the drain benchmark; every round, counted
 * or not, asserts its own losses before it reports.
 */
final class RaceRounds {

  /** At most this many rounds. */
  static final int MAX_ROUNDS = 3;

  private RaceRounds() {}

  /** One round's report, and whether a request was written on a reused connection after the signal. */
  record Round(String report, boolean exercisedTheRace) {}

  /**
   * A round of {@code results}: it exercised the race when a request written on a reused connection
   * after the signal was answered.
   */
  static Round round(String report, List<ProbeResult> results) {
    return new Round(report, results.stream().anyMatch(r -> r.afterSignal() && r.reused() && !r.lost()));
  }

  /** One round (numbered from 1); throws when the round lost anything. */
  @FunctionalInterface
  interface Runner {
    Round run(int round) throws Exception;
  }

  /** Runs rounds until one exercised the race; fails, with every round's report, when none did. */
  static void untilTheRaceIsExercised(Runner runner) throws Exception {
    List<String> reports = new ArrayList<>();
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Round r = runner.run(round);
      reports.add("round " + round + ":\n" + r.report());
      if (r.exercisedTheRace()) {
        return;
      }
    }
    fail("no request was written on a reused connection after the signal in any of %d rounds, so the drain's race"
        + " was never exercised:%n%s", MAX_ROUNDS, String.join("\n", reports));
  }
}
