package io.quiesce.bench;

import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.DrainReport;
import io.quiesce.test.probe.ProbeLoad;
import io.quiesce.test.probe.ProbeRequest;
import io.quiesce.test.probe.ProbeResult;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drain under load and forced shutdown, against the sample emulator as a real child process.
 *
 * <p>Drain: 64 raw-socket keep-alive loops (a quarter of requests {@code /_demo/slow} for 0.5–2 s,
 * the rest immediate), SIGTERM mid-load; the drain's own cost is signal-to-exit minus the longest
 * remaining time of any request in flight at the signal (which drain must wait for). Every request
 * is classified; lost ones must be 0.
 *
 * <p>Forced: {@code server.shutdown_timeout=1s} with 10 s requests in flight; the overrun is
 * signal-to-exit minus 1 s. Target: under 50 ms.
 */
final class DrainSection {

  static final int ROUNDS = 3;
  static final int LOOPS = 64;
  static final double SLOW_SHARE = 0.25;
  static final long LOAD_BEFORE_SIGNAL_MS = 2500;
  static final int FORCED_REQUESTS = 8;
  static final double TARGET_OVERRUN_MS = 50;

  private DrainSection() {}

  static Section run(Path sampleJar, Path work) throws Exception {
    List<Double> signalToExit = new ArrayList<>();
    List<Double> longestRemaining = new ArrayList<>();
    List<Double> drainCost = new ArrayList<>();
    List<Long> requests = new ArrayList<>();
    List<Long> lost = new ArrayList<>();
    List<Long> exitCodes = new ArrayList<>();
    List<ProbeResult> all = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      int port = ChildJvm.freePort();
      try (ChildJvm jvm = ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port),
          work.resolve("logs/drain-" + round + ".log"))) {
        HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 1000);
        ProbeLoad load = DrainProbe.to(new InetSocketAddress("127.0.0.1", port)).loops(LOOPS).maxRequestsPerLoop(100_000)
            .maxDuration(Duration.ofSeconds(45)).readTimeout(Duration.ofSeconds(35)).seed(42 + round)
            .requests((loop, random) -> {
              int ms = random.nextDouble() < SLOW_SHARE ? 500 + random.nextInt(1500) : 0;
              return ProbeRequest.get("/_demo/slow?ms=" + ms).slow(ms);
            }).start();
        Thread.sleep(LOAD_BEFORE_SIGNAL_MS); // the load runs for this long before the signal
        long signal = System.nanoTime();
        load.markSignal(signal);
        jvm.sigterm();
        long[] exit = jvm.awaitExit(60_000);
        List<ProbeResult> results = load.awaitEnd(Duration.ofSeconds(40));
        all.addAll(results);
        long remaining = 0;
        for (ProbeResult r : results) {
          if (r.sentNanos() < signal && r.doneNanos() > signal) {
            remaining = Math.max(remaining, r.sentNanos() + r.slowMillis() * 1_000_000 - signal);
          }
        }
        double exitMs = (exit[1] - signal) / 1e6;
        signalToExit.add(exitMs);
        longestRemaining.add(remaining / 1e6);
        drainCost.add(exitMs - remaining / 1e6);
        requests.add((long) results.size());
        lost.add(results.stream().filter(ProbeResult::lost).count());
        exitCodes.add(exit[0]);
        System.out.printf("  drain round %d: %d requests, %d lost, signal->exit %.0f ms, longest in-flight remaining %.0f ms, exit %d%n",
            round + 1, results.size(), lost.get(round), exitMs, remaining / 1e6, exit[0]);
      }
    }

    List<Double> overrun = new ArrayList<>();
    List<Long> forcedExit = new ArrayList<>();
    List<Double> ownTotal = new ArrayList<>();
    List<Double> afterReport = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      double[] r = forcedOnce(sampleJar, work, round);
      overrun.add(r[0]);
      forcedExit.add((long) r[1]);
      ownTotal.add(r[2]);
      afterReport.add(r[0] + 1000 - r[2]);
      System.out.printf("  forced round %d: overrun %.1f ms past 1 s (runtime's own shutdown total %.0f ms), exit %d%n",
          round + 1, r[0], r[2], (long) r[1]);
    }

    long totalLost = lost.stream().mapToLong(Long::longValue).sum();
    double cost = Stats.median(drainCost);
    double overrunMedian = Stats.median(overrun);
    double overrunMax = Stats.max(overrun);
    boolean cleanExits = exitCodes.stream().allMatch(c -> c == 0);
    boolean met = totalLost == 0 && cleanExits && overrunMax < TARGET_OVERRUN_MS;
    String md = String.format("""
        | drain under load (%d rounds) | median | max | per round |
        |---|---:|---:|---|
        | SIGTERM → exit (ms) | %.0f | %.0f | %s |
        | longest in-flight request's remaining time at SIGTERM (ms) | %.0f | %.0f | %s |
        | **drain cost** = SIGTERM → exit − longest remaining (ms) | **%.0f** | %.0f | %s |
        | requests sent | | | %s |
        | **lost requests** (target 0 %s) | | **%d total** | %s |
        | exit code | | | %s |

        Outcomes of all rounds together (raw sockets, every request classified as in docs/DRAIN.md):

        %s
        | forced shutdown, `server.shutdown_timeout=1s`, %d × `/_demo/slow?ms=10000` in flight (%d rounds) | median | max | per round |
        |---|---:|---:|---|
        | **overrun** = SIGTERM → exit − 1 s (ms; target < %.0f %s) | **%.1f** | %.1f | %s |
        | the runtime's own shutdown total, from its report line (ms) | %.0f | %.0f | %s |
        | rest: signal delivery + Vert.x close + log flush + JVM exit (ms) | %.0f | %.0f | %s |
        | exit code (1 = forced) | | | %s |

        %d keep-alive loops over raw sockets (the test kit's `DrainProbe`), each request slow (`/_demo/slow?ms=500..2000`) with probability %.2f, else immediate; SIGTERM after %d ms of load; loops reconnect at once after `Connection: close` and stop when the listener refuses. The drain cost includes JVM exit (callbacks, service stops, Vert.x close, log flush).
        """, ROUNDS, Stats.median(signalToExit), Stats.max(signalToExit), Stats.list(signalToExit, 0),
        Stats.median(longestRemaining), Stats.max(longestRemaining), Stats.list(longestRemaining, 0),
        cost, Stats.max(drainCost), Stats.list(drainCost, 0), requests, totalLost == 0 ? "✅" : "❌", totalLost, lost, exitCodes,
        DrainReport.table(all), FORCED_REQUESTS, ROUNDS, TARGET_OVERRUN_MS, overrunMax < TARGET_OVERRUN_MS ? "✅" : "❌",
        overrunMedian, overrunMax, Stats.list(overrun, 1),
        Stats.median(ownTotal), Stats.max(ownTotal), Stats.list(ownTotal, 0),
        Stats.median(afterReport), Stats.max(afterReport), Stats.list(afterReport, 0), forcedExit, LOOPS, SLOW_SHARE, LOAD_BEFORE_SIGNAL_MS);
    JsonObject summary = new JsonObject()
        .put("drain_signal_to_exit_ms", Stats.round(Stats.median(signalToExit), 1))
        .put("drain_cost_ms", Stats.round(cost, 1))
        .put("drain_cost_max_ms", Stats.round(Stats.max(drainCost), 1))
        .put("requests", requests.stream().mapToLong(Long::longValue).sum())
        .put("lost", totalLost)
        .put("drain_exit_codes_all_0", cleanExits)
        .put("forced_overrun_ms", Stats.round(overrunMedian, 1))
        .put("forced_overrun_max_ms", Stats.round(overrunMax, 1))
        .put("targets_met", met);
    return new Section("drain", "Drain under load and forced shutdown", md, summary);
  }

  private static final Pattern FORCED_AFTER = Pattern.compile("Shutdown forced after (\\d+) ms");

  /** Returns {overrun ms, exit code, the runtime's own shutdown total in ms (-1 if not logged)}. */
  private static double[] forcedOnce(Path sampleJar, Path work, int round) throws Exception {
    int port = ChildJvm.freePort();
    List<Socket> sockets = new ArrayList<>();
    try (ChildJvm jvm = ChildJvm.start(List.of(), List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port,
        "--set", "server.shutdown_timeout=1s"), work.resolve("logs/forced-" + round + ".log"))) {
      HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 1000);
      for (int i = 0; i < FORCED_REQUESTS; i++) {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        s.getOutputStream().write("GET /_demo/slow?ms=10000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      awaitInFlight(port, FORCED_REQUESTS);
      long signal = jvm.sigterm();
      long[] exit = jvm.awaitExit(30_000);
      Matcher m = FORCED_AFTER.matcher(Files.readString(jvm.log()));
      return new double[] {(exit[1] - signal) / 1e6 - 1000, exit[0], m.find() ? Double.parseDouble(m.group(1)) : -1};
    } finally {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // already reset by the forced close
        }
      }
    }
  }

  /** Polls {@code /health} (never tracked itself) until at least {@code n} requests are in flight. */
  static void awaitInFlight(int port, long n) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      HttpProbe.Reply r = HttpProbe.get(port, "/_quiesce/health", 5000);
      if (r.status() > 0 && new JsonObject(r.body()).getLong("in_flight_requests", 0L) >= n) {
        return;
      }
      Thread.sleep(20); // polling interval, bounded in count
    }
    throw new IllegalStateException("fewer than " + n + " requests in flight after 60 s of polling /_quiesce/health");
  }
}
