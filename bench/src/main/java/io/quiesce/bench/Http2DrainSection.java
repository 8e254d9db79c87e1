package io.quiesce.bench;

import io.quiesce.test.probe.Http2Load;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/2 drain under load, against the sample emulator as a real child process: the test kit's
 * frame-level client ({@code Http2Load}: Netty's HTTP/2 codec, no pooling, no retries) keeps
 * {@value #CONNECTIONS} h2c connections with {@value #STREAMS} concurrent streams each (a quarter
 * slow, 0.3–1.5 s), connections coming and going; SIGTERM mid-load; every stream classified as in
 * docs/DRAIN.md. Drain cost = SIGTERM → exit − the longest remaining time of a stream open at the
 * signal.
 */
final class Http2DrainSection {

  static final int ROUNDS = 3;
  static final int CONNECTIONS = 16;
  static final int STREAMS = 8;
  static final long WARM_UP_STREAMS = 2_000;

  private Http2DrainSection() {}

  static Section run(Path sampleJar, Path work) throws Exception {
    List<Long> sent = new ArrayList<>();
    List<Long> completed = new ArrayList<>();
    List<Long> refused = new ArrayList<>();
    List<Long> lost = new ArrayList<>();
    List<Long> oneGoaway = new ArrayList<>();
    List<Long> exitCodes = new ArrayList<>();
    List<Double> signalToExit = new ArrayList<>();
    List<Double> drainCost = new ArrayList<>();
    List<Http2Load.Result> all = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int port = ChildJvm.freePort();
      try (ChildJvm jvm = ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port),
          work.resolve("logs/http2-drain-" + round + ".log"))) {
        HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 1000);
        Http2Load load = new Http2Load(new InetSocketAddress("127.0.0.1", port), ms -> "/_demo/slow?ms=" + ms, false,
            CONNECTIONS, STREAMS, 60_000, 42 + round);
        load.start();
        long warmUpEnd = System.nanoTime() + 30_000_000_000L;
        while (load.completed() < WARM_UP_STREAMS && System.nanoTime() < warmUpEnd) {
          Thread.sleep(10);
        }
        long signal = jvm.sigterm();
        load.markSignal(signal);
        long[] exit = jvm.awaitExit(60_000);
        boolean ended = load.await(60_000);
        List<Http2Load.Result> results = load.results();
        all.addAll(results);
        long remaining = 0;
        for (Http2Load.Result r : results) {
          if (!r.afterSignal() && r.slowMs() > 0) {
            remaining = Math.max(remaining, r.sentNanos() + r.slowMs() * 1_000_000 - signal);
          }
        }
        double exitMs = (exit[1] - signal) / 1e6;
        sent.add(results.stream().filter(r -> r.outcome() != Http2Load.Outcome.CONNECT_REFUSED).count());
        completed.add(results.stream().filter(r -> r.outcome() == Http2Load.Outcome.OK).count());
        refused.add(results.stream().filter(r -> switch (r.outcome()) {
          case REFUSED_503, REFUSED_STREAM, ABOVE_GOAWAY -> true;
          default -> false;
        }).count());
        lost.add(results.stream().filter(Http2Load.Result::lost).count() + (ended ? 0 : 1));
        oneGoaway.add(load.connectionsWithOneGoaway());
        exitCodes.add(exit[0]);
        signalToExit.add(exitMs);
        drainCost.add(exitMs - Math.max(0, remaining) / 1e6);
        System.out.printf("  http2 drain round %d: %d streams, %d lost, signal->exit %.0f ms, exit %d%n",
            round + 1, sent.get(round), lost.get(round), exitMs, exit[0]);
      }
    }
    long totalLost = lost.stream().mapToLong(Long::longValue).sum();
    boolean cleanExits = exitCodes.stream().allMatch(c -> c == 0);
    boolean twoPhase = oneGoaway.stream().allMatch(c -> c == 0);
    boolean met = totalLost == 0 && cleanExits && twoPhase;
    String md = String.format("""
        | HTTP/2 drain under load, h2c (%d rounds) | median | max | per round |
        |---|---:|---:|---|
        | streams sent | | | %s |
        | completed (2xx) | | | %s |
        | refused cleanly (503, REFUSED_STREAM, above the final GOAWAY) | | | %s |
        | **lost streams** (target 0 %s) | | **%d total** | %s |
        | connections drained with a single GOAWAY (target 0) | | | %s |
        | SIGTERM → exit (ms) | %.0f | %.0f | %s |
        | **drain cost** = SIGTERM → exit − longest remaining stream (ms) | **%.0f** | %.0f | %s |
        | exit code | | | %s |

        Every stream of all rounds together:

        ```
        %s```

        %d connections × %d concurrent streams (`/_demo/slow?ms=300..1500` with probability ¼, else immediate), each connection closed by the client after 16–63 streams and replaced at once, so new connections keep arriving; no new stream after a GOAWAY; SIGTERM after %d completed streams.
        """, ROUNDS, sent, completed, refused, totalLost == 0 ? "✅" : "❌", totalLost, lost, oneGoaway,
        Stats.median(signalToExit), Stats.max(signalToExit), Stats.list(signalToExit, 0),
        Stats.median(drainCost), Stats.max(drainCost), Stats.list(drainCost, 0), exitCodes, Http2Load.table(all),
        CONNECTIONS, STREAMS, WARM_UP_STREAMS);
    JsonObject summary = new JsonObject()
        .put("streams", sent.stream().mapToLong(Long::longValue).sum())
        .put("lost", totalLost)
        .put("drain_cost_ms", Stats.round(Stats.median(drainCost), 1))
        .put("exit_codes_all_0", cleanExits)
        .put("targets_met", met);
    return new Section("http2", "HTTP/2 drain under load (h2c, frame-level client)", md, summary);
  }
}
