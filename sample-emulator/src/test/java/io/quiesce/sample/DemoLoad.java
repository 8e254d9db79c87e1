package io.quiesce.sample;

import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.ProbeRequest;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The drain tests' load on the demo route: some loops only slow requests (0.5–2 s, in flight at the signal), the rest immediate. */
final class DemoLoad {

  private static final ProbeRequest IMMEDIATE = ProbeRequest.get("/_demo/slow?ms=0");

  private DemoLoad() {}

  /** {@code loops} loops, the first {@code slowLoops} of them slow; bounded at 20,000 requests and 60 s per loop. */
  static DrainProbe probe(InetSocketAddress address, int loops, int slowLoops) {
    return DrainProbe.to(address).loops(loops).maxRequestsPerLoop(20_000).maxDuration(Duration.ofSeconds(60))
        .readTimeout(Duration.ofSeconds(20)).seed(42)
        .requests((loop, random) -> {
          if (loop >= slowLoops) {
            return IMMEDIATE;
          }
          int ms = 500 + random.nextInt(1500);
          return ProbeRequest.get("/_demo/slow?ms=" + ms).slow(ms);
        });
  }
}
