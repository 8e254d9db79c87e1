package io.quiesce.test.probe;

import java.util.Random;

/**
 * Chooses the next request of a probe loop. Each loop has its own {@link Random}, seeded from the
 * probe's seed and the loop's number, so a run can be repeated.
 */
@FunctionalInterface
public interface RequestMix {

  /** The request loop number {@code loop} (from 0) writes next. */
  ProbeRequest next(int loop, Random random);

  /** Every loop writes {@code request}, again and again. */
  static RequestMix always(ProbeRequest request) {
    return (loop, random) -> request;
  }
}
