package io.quiesce.bench;

import io.quiesce.bench.load.LongPollSwarm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Scale: 10 000 tracked long polls ({@code /_demo/wait?ms=60000}) in flight at once in the sample
 * emulator, then SIGTERM: every one must get a complete 200 (ended by drain), and the process must
 * exit 0. Memory per in-flight request is the RSS and the live heap (after a full GC, jcmd) with
 * 10 000 open, minus the same before they were opened, over 10 000. That covers the whole cost of a
 * held request — connection, Vert.x request and routing objects, the demo's timer and drain
 * subscription — of which the tracker itself adds nothing (it is one counter).
 */
final class ScaleSection {

  static final int REQUESTS = 10_000;

  private ScaleSection() {}

  static Section run(Path sampleJar, Path work) throws Exception {
    int port = ChildJvm.freePort();
    try (ChildJvm jvm = ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port),
        work.resolve("logs/scale.log"))) {
      HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 3000);
      // Warm the path once so that class loading is not counted as per-request memory.
      try (LongPollSwarm warm = LongPollSwarm.open(port, "/_demo/wait?ms=1", 100)) {
        warm.awaitAll(30_000);
      }
      long heapBefore = Proc.liveHeapKib(jvm.pid());
      long rssBefore = jvm.rssKib();
      long opened = System.nanoTime();
      try (LongPollSwarm swarm = LongPollSwarm.open(port, "/_demo/wait?ms=60000", REQUESTS)) {
        DrainSection.awaitInFlight(port, REQUESTS);
        double openMs = (System.nanoTime() - opened) / 1e6;
        long rssAt = jvm.rssKib();
        long heapAt = Proc.liveHeapKib(jvm.pid());
        long signal = jvm.sigterm();
        LongPollSwarm.Tally tally = swarm.awaitAll(60_000);
        long[] exit = jvm.awaitExit(60_000);
        double exitMs = (exit[1] - signal) / 1e6;
        double rssPer = (rssAt - rssBefore) * 1024.0 / REQUESTS;
        double heapPer = (heapAt - heapBefore) * 1024.0 / REQUESTS;
        boolean met = tally.complete200() == REQUESTS && exit[0] == 0;
        System.out.printf("  scale: %s, exit %d after %.0f ms%n", tally, exit[0], exitMs);
        String md = String.format("""
            | %,d long polls in flight, then SIGTERM | value |
            |---|---:|
            | opened and counted in flight (connect + request, serially) | %.0f ms |
            | **complete 200 responses** (of which ended by drain) | **%d** (%d) |
            | other complete responses / cut / unanswered | %d / %d / %d |
            | SIGTERM → exit | %.0f ms |
            | **exit code** (0 = clean) %s | **%d** |
            | RSS before → with %,d in flight | %.0f → %.0f MiB |
            | **RSS per in-flight request** | **%.1f KiB** |
            | live heap after full GC, before → with %,d in flight | %.1f → %.1f MiB |
            | **live heap per in-flight request** | **%.2f KiB** |

            One raw non-blocking socket per request (`load.LongPollSwarm`, one selector thread, no pool, no retry); each response must be complete (status, headers, whole Content-Length body). Before/after: RSS from /proc, live heap from `jcmd GC.run` + `GC.heap_info`; the per-request figure includes the connection and the demo route's own state (timer, drain subscription), not only the tracker (a counter).
            """, REQUESTS, openMs, tally.complete200(), tally.endedByDrain(), tally.completeOther(), tally.cut(), tally.unanswered(),
            exitMs, met ? "✅" : "❌", exit[0], REQUESTS, rssBefore / 1024.0, rssAt / 1024.0, rssPer / 1024,
            REQUESTS, heapBefore / 1024.0, heapAt / 1024.0, heapPer / 1024);
        JsonObject summary = new JsonObject()
            .put("in_flight", REQUESTS)
            .put("complete_200", tally.complete200())
            .put("ended_by_drain", tally.endedByDrain())
            .put("cut_or_unanswered", tally.cut() + tally.unanswered() + tally.completeOther())
            .put("exit_code", exit[0])
            .put("signal_to_exit_ms", Stats.round(exitMs, 1))
            .put("rss_per_request_kib", Stats.round(rssPer / 1024, 2))
            .put("heap_per_request_kib", Stats.round(heapPer / 1024, 3))
            .put("targets_met", met);
        return new Section("scale", "Scale: 10 000 in-flight long polls drained", md, summary);
      }
    }
  }
}
