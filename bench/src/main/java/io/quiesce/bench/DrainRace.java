package io.quiesce.bench;

import io.quiesce.sample.RawHttpLoad;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One round of the drain race: the sample emulator as a child process, clients that are between
 * requests when SIGTERM lands, and every request classified by {@link RawHttpLoad}.
 *
 * <p>Two kinds of client, both {@code RawHttpLoad} (the sample emulator's test tool): keep-alive
 * loops that send immediate requests back to back on one connection (a few of them only slow
 * requests, so that drain has work in flight to wait for), and waves of fresh connections, each
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
  record Round(int index, boolean saturated, List<RawHttpLoad.Result> results, double signalToExitMs,
      double longestRemainingMs, long exitCode, List<String> lossDetails) {

    /** Lost requests by category: reused before, fresh before, reused after, fresh after the signal. */
    String lostByCategory() {
      long[] c = new long[4];
      results.stream().filter(RawHttpLoad.Result::lost).forEach(r -> c[(r.reused() ? 0 : 1) + (r.afterSignal() ? 2 : 0)]++);
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
      return results.stream().filter(RawHttpLoad.Result::lost).count();
    }

    /**
     * Lost requests of the one kind no server can rule out (docs/DRAIN.md, loss 4): a fresh
     * connection, made after the signal, reset before any response byte — a connect the kernel
     * completed into the listen backlog as the listening socket closed. The client cannot tell it
     * from an accepted connection closed unread (loss 2), so it is reported apart, not hidden.
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

    private static boolean written(RawHttpLoad.Result r) {
      return r.outcome() != RawHttpLoad.Outcome.CONNECT_REFUSED && r.outcome() != RawHttpLoad.Outcome.HANDSHAKE_FAILED
          && r.outcome() != RawHttpLoad.Outcome.WRITE_FAILED;
    }
  }

  private DrainRace() {}

  static Round run(Path sampleJar, Path work, int index, boolean saturated, List<String> settings) throws Exception {
    int port = ChildJvm.freePort();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<String> launch = new ArrayList<>(List.of("-jar", sampleJar.toString(), "--set", "server.port=" + port));
    settings.forEach(s -> launch.addAll(List.of("--set", s)));
    try (ChildJvm jvm = ChildJvm.start(List.of(), launch,
        work.resolve("logs/drain-" + index + (saturated ? "-saturated" : "") + ".log"));
        CpuHog hog = saturated ? CpuHog.start(LOAD_LIMIT_MS) : null) {
      HttpProbe.awaitOk(port, "/_quiesce/health/ready", 20, 3000);
      RawHttpLoad keepAlive = new RawHttpLoad(address, KEEP_ALIVE_LOOPS, SLOW_LOOPS, 0.0, 1_000_000, LOAD_LIMIT_MS,
          READ_TIMEOUT_MS, 42 + index);
      List<Thread> threads = new ArrayList<>(keepAlive.start());
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
      threads.addAll(fresh.threads());
      for (Thread t : threads) {
        t.join(READ_TIMEOUT_MS + 5_000L);
      }
      List<RawHttpLoad.Result> results = new ArrayList<>(keepAlive.results());
      List<String> lossDetails = new ArrayList<>(keepAlive.lossDetails());
      for (RawHttpLoad wave : fresh.waves) {
        results.addAll(wave.results());
        lossDetails.addAll(wave.lossDetails());
      }
      long remaining = 0;
      for (RawHttpLoad.Result r : results) {
        if (r.sentNanos() < signal && r.doneNanos() > signal) {
          remaining = Math.max(remaining, r.sentNanos() + r.slowMs() * 1_000_000 - signal);
        }
      }
      return new Round(index, saturated, results, (exit[1] - signal) / 1e6, remaining / 1e6, exit[0], lossDetails);
    }
  }

  /** Starts a wave of one-request clients every {@link #FRESH_WAVE_MS} until a wave after the signal meets a refused listener. */
  private static final class FreshWaves implements Runnable {
    private final InetSocketAddress address;
    private final long seed;
    final List<RawHttpLoad> waves = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile long signal = Long.MAX_VALUE;

    FreshWaves(InetSocketAddress address, long seed) {
      this.address = address;
      this.seed = seed;
    }

    void markSignal(long nanos) {
      signal = nanos;
      waves.forEach(w -> w.markSignal(nanos)); // a wave made just now may be marked twice: same instant
    }

    List<Thread> threads() {
      return threads;
    }

    @Override
    public void run() {
      try {
        for (int i = 0; i < MAX_WAVES; i++) {
          RawHttpLoad wave = new RawHttpLoad(address, FRESH_PER_WAVE, 0, 0.0, 1, LOAD_LIMIT_MS, READ_TIMEOUT_MS, seed + i);
          wave.markSignal(signal);
          waves.add(wave);
          threads.addAll(wave.start());
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

  static boolean asInBacklog(RawHttpLoad.Result r) {
    return r.outcome() == RawHttpLoad.Outcome.LOST_NO_RESPONSE && !r.reused() && r.afterSignal();
  }

  private static boolean refusedAfterSignal(RawHttpLoad wave) {
    return wave.results().stream().anyMatch(r -> r.afterSignal() && r.outcome() == RawHttpLoad.Outcome.CONNECT_REFUSED);
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
