package io.quiesce.bench;

import io.quiesce.test.probe.DrainProbe;
import io.quiesce.test.probe.Outcome;
import io.quiesce.test.probe.ProbeLoad;
import io.quiesce.test.probe.ProbeRequest;
import io.quiesce.test.probe.ProbeResult;
import io.quiesce.test.probe.RequestMix;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One round of the drain race: the sample emulator as a child process, clients that are between
 * requests when SIGTERM lands, and every request classified by the test kit's {@link DrainProbe}.
 *
 * <p>Two kinds of client, both {@code DrainProbe} loops: keep-alive loops that send immediate
 * requests back to back on one connection (a few of them only slow requests, so that drain has
 * work in flight to wait for), and waves of fresh connections, each
 * client one connect and one request, started every {@link #FRESH_WAVE_MS} ms from shortly before
 * the signal until the listener refuses. A round in which no request was written after the signal
 * did not exercise the race and does not count.
 */
final class DrainRace {

  static final int KEEP_ALIVE_LOOPS = 32;
  static final int SLOW_LOOPS = 4;
  static final int FRESH_PER_WAVE = 4;
  static final long FRESH_WAVE_MS = 5;
  static final long FRESH_BEFORE_SIGNAL_MS = 300;
  static final int MAX_WAVES = 800; // 4 s of waves at most
  static final long LOAD_BEFORE_SIGNAL_MS = 1500;
  static final int READ_TIMEOUT_MS = 35_000;
  static final long LOAD_LIMIT_MS = 45_000;

  /**
   * @param results every request of the round
   * @param signalToExitMs SIGTERM to the process's exit
   * @param longestRemainingMs the longest time a request in flight at the signal still had to run
   */
  record Round(int index, boolean saturated, List<ProbeResult> results, double signalToExitMs,
      double longestRemainingMs, long exitCode, List<String> lossDetails) {

    /** Lost requests by category: reused before, fresh before, reused after, fresh after the signal. */
    String lostByCategory() {
      long[] c = new long[4];
      results.stream().filter(ProbeResult::lost).forEach(r -> c[(r.reused() ? 0 : 1) + (r.afterSignal() ? 2 : 0)]++);
      return String.format("reused/fresh before %d/%d, after %d/%d", c[0], c[1], c[2], c[3]);
    }

    /** Requests written to a connection after the signal (refused connects and failed writes are not). */
    long sentAfterSignal() {
      return results.stream().filter(r -> r.afterSignal() && written(r)).count();
    }

    long sentAfterSignal(boolean reused) {
      return results.stream().filter(r -> r.afterSignal() && written(r) && r.reused() == reused).count();
    }

    long lost() {
      return results.stream().filter(ProbeResult::lost).count();
    }

    /**
     * Lost requests of the one kind no server can rule out (docs/DRAIN.md, loss 4): a fresh
     * connection, made after the signal, reset before any response byte — a connect the kernel
     * completed into the listen backlog as the listening socket closed, which the kernel resets. An
     * accepted connection closed unread (loss 2) ends with EOF instead, and counts as lost.
     */
    long lostAsInBacklog() {
      return results.stream().filter(DrainRace::asInBacklog).count();
    }

    /** Every other lost request: these the drain promises never to lose. */
    long lostOther() {
      return lost() - lostAsInBacklog();
    }

    /** Only a round that had requests written after the signal exercised the race. */
    boolean counts() {
      return sentAfterSignal() > 0;
    }

    double drainCostMs() {
      return signalToExitMs - longestRemainingMs;
    }

    private static boolean written(ProbeResult r) {
      return r.outcome() != Outcome.CONNECT_REFUSED && r.outcome() != Outcome.HANDSHAKE_FAILED
          && r.outcome() != Outcome.WRITE_FAILED;
    }
  }

  private static final ProbeRequest IMMEDIATE = ProbeRequest.get("/_demo/slow?ms=0");

  /** The first {@link #SLOW_LOOPS} loops send only slow requests (0.5–2 s), the rest immediate ones. */
  private static final RequestMix KEEP_ALIVE_MIX = (loop, random) -> {
    if (loop >= SLOW_LOOPS) {
      return IMMEDIATE;
    }
    int ms = 500 + random.nextInt(1500);
    return ProbeRequest.get("/_demo/slow?ms=" + ms).slow(ms);
  };

  private DrainRace() {}

  /** Loops bounded by {@link #LOAD_LIMIT_MS} and {@link #READ_TIMEOUT_MS}, as every client of a round. */
  private static DrainProbe probe(InetSocketAddress address, int loops, int maxRequestsPerLoop, long seed) {
    return DrainProbe.to(address).loops(loops).maxRequestsPerLoop(maxRequestsPerLoop)
        .maxDuration(Duration.ofMillis(LOAD_LIMIT_MS)).readTimeout(Duration.ofMillis(READ_TIMEOUT_MS)).seed(seed);
  }

  static Round run(Path sampleJar, Path work, int index, boolean saturated, List<String> settings) throws Exception {
    int port = ChildJvm.freePort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<String> launch = new ArrayList<>(List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port));
    settings.forEach(s -> launch.addAll(List.of("--set", s)));
    try (ChildJvm jvm = ChildJvm.start(List.of(), launch,
        work.resolve("logs/drain-" + index + (saturated ? "-saturated" : "") + ".log"));
        CpuHog hog = saturated ? CpuHog.start(LOAD_LIMIT_MS) : null) {
      HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 3000);
      ProbeLoad keepAlive = probe(address, KEEP_ALIVE_LOOPS, 1_000_000, 42 + index).requests(KEEP_ALIVE_MIX).start();
      Thread.sleep(LOAD_BEFORE_SIGNAL_MS - FRESH_BEFORE_SIGNAL_MS); // the load runs this long before fresh waves begin
      FreshWaves fresh = new FreshWaves(address, 1000 + index * 10_000L);
      Thread driver = new Thread(fresh, "fresh-waves");
      driver.setDaemon(true);
      driver.start();
      Thread.sleep(FRESH_BEFORE_SIGNAL_MS);
      long signal = System.nanoTime();
      keepAlive.markSignal(signal);
      fresh.markSignal(signal);
      jvm.sigterm();
      long[] exit = jvm.awaitExit(60_000);
      driver.join(LOAD_LIMIT_MS);
      Duration loopLimit = Duration.ofMillis(READ_TIMEOUT_MS + 5_000L);
      List<ProbeResult> results = new ArrayList<>(keepAlive.awaitEnd(loopLimit));
      List<String> lossDetails = new ArrayList<>(keepAlive.lossDetails());
      for (ProbeLoad wave : fresh.waves) {
        results.addAll(wave.awaitEnd(loopLimit));
        lossDetails.addAll(wave.lossDetails());
      }
      long remaining = 0;
      for (ProbeResult r : results) {
        if (r.sentNanos() < signal && r.doneNanos() > signal) {
          remaining = Math.max(remaining, r.sentNanos() + r.slowMillis() * 1_000_000 - signal);
        }
      }
      return new Round(index, saturated, results, (exit[1] - signal) / 1e6, remaining / 1e6, exit[0], lossDetails);
    }
  }

  /** Starts a wave of one-request clients every {@link #FRESH_WAVE_MS} until a wave after the signal meets a refused listener. */
  private static final class FreshWaves implements Runnable {
    private final InetSocketAddress address;
    private final long seed;
    final List<ProbeLoad> waves = new CopyOnWriteArrayList<>();
    private volatile long signal = Long.MAX_VALUE;

    FreshWaves(InetSocketAddress address, long seed) {
      this.address = address;
      this.seed = seed;
    }

    void markSignal(long nanos) {
      signal = nanos;
      waves.forEach(w -> w.markSignal(nanos)); // a wave made just now may be marked twice: same instant
    }

    @Override
    public void run() {
      try {
        for (int i = 0; i < MAX_WAVES; i++) {
          ProbeLoad wave = probe(address, FRESH_PER_WAVE, 1, seed + i).requests(IMMEDIATE).start();
          wave.markSignal(signal);
          waves.add(wave);
          if (signal != Long.MAX_VALUE && waves.stream().anyMatch(DrainRace::refusedAfterSignal)) {
            return; // the listener is closed: fresh connections are refused from now on
          }
          Thread.sleep(FRESH_WAVE_MS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static boolean asInBacklog(ProbeResult r) {
    return r.outcome() == Outcome.LOST_RESET && !r.reused() && r.afterSignal();
  }

  private static boolean refusedAfterSignal(ProbeLoad wave) {
    return wave.results().stream().anyMatch(r -> r.afterSignal() && r.outcome() == Outcome.CONNECT_REFUSED);
  }

  /** Busy threads, one per CPU, in this JVM, that stop at {@link #close()} or after their time limit. */
  static final class CpuHog implements AutoCloseable {
    private volatile boolean stop;
    private volatile long sink;
    private final List<Thread> threads = new ArrayList<>();

    static CpuHog start(long limitMs) {
      CpuHog hog = new CpuHog();
      long deadline = System.nanoTime() + limitMs * 1_000_000;
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        Thread t = new Thread(() -> {
          long x = 1;
          while (!hog.stop && System.nanoTime() < deadline) {
            for (int k = 0; k < 100_000; k++) {
              x = x * 6364136223846793005L + 1442695040888963407L; // work the JIT cannot drop: x is kept
            }
            hog.sink = x;
          }
        }, "cpu-hog-" + i);
        t.setDaemon(true);
        t.start();
        hog.threads.add(t);
      }
      return hog;
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      for (Thread t : threads) {
        t.join(5_000);
      }
    }
  }
}
