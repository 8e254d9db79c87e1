package io.quiesce.test.probe;

import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.RunningEmulator;
import io.quiesce.test.Signal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Keep-alive load over raw sockets that classifies every request itself — completed, refused
 * cleanly, or lost — so that an emulator author can check the drain promise for their own routes:
 *
 * <pre>{@code
 * DrainProbe.to(process).requests(ProbeRequest.get("/items/1")).sigterm().assertNothingLost();
 * }</pre>
 *
 * Why raw sockets: pooling clients (the JDK {@code HttpClient}, Vert.x {@code WebClient}, the AWS
 * SDK) retry idempotent requests on a dead connection and hide exactly the losses a drain test
 * looks for. The loops are adversarial on purpose: they reconnect at once after
 * {@code Connection: close}, ignore {@code Retry-After}, and keep sending until the listener
 * refuses. Every loop is bounded in count and time. A builder: set what differs from the
 * defaults, then {@link #start()} or {@link #sigterm()}.
 */
public final class DrainProbe {

  final InetSocketAddress address;
  private final EmulatorProcess process;
  RequestMix mix = RequestMix.always(ProbeRequest.get("/_quiesce/health/live"));
  int loops = 16;
  int maxRequestsPerLoop = 20_000;
  Duration maxDuration = Duration.ofSeconds(60);
  Duration readTimeout = Duration.ofSeconds(20);
  long seed = 42;
  long warmUpRequests = 2_000;
  SSLContext tls;

  private DrainProbe(InetSocketAddress address, EmulatorProcess process) {
    this.address = Objects.requireNonNull(address, "address");
    this.process = process;
  }

  /** A probe of any server; {@link #start()} only, since it cannot be signalled. */
  public static DrainProbe to(InetSocketAddress address) {
    return new DrainProbe(address, null);
  }

  /** A probe of a running emulator; for {@link #sigterm()} it must be an {@link EmulatorProcess}. */
  public static DrainProbe to(RunningEmulator emulator) {
    return new DrainProbe(emulator.address(), emulator instanceof EmulatorProcess p ? p : null);
  }

  /**
   * What every loop sends (default: {@code GET /_quiesce/health/live}, which is never counted or
   * refused, so set your own route: that is what the drain must protect).
   */
  public DrainProbe requests(ProbeRequest request) {
    return requests(RequestMix.always(request));
  }

  /** A mix of requests, chosen per loop and per request (slow and fast ones, several routes). */
  public DrainProbe requests(RequestMix mix) {
    this.mix = Objects.requireNonNull(mix, "mix");
    return this;
  }

  /** How many client loops, each with one connection at a time (default 16). */
  public DrainProbe loops(int loops) {
    this.loops = positive("loops", loops);
    return this;
  }

  /** Requests per loop at most (default 20,000). */
  public DrainProbe maxRequestsPerLoop(int max) {
    this.maxRequestsPerLoop = positive("maxRequestsPerLoop", max);
    return this;
  }

  /** How long a loop may run at most, from {@link #start()} (default 60 s). */
  public DrainProbe maxDuration(Duration max) {
    this.maxDuration = max;
    return this;
  }

  /** How long a response may take before the request counts as lost (default 20 s); longer than the shutdown budget. */
  public DrainProbe readTimeout(Duration timeout) {
    this.readTimeout = timeout;
    return this;
  }

  /** Seeds each loop's {@link java.util.Random} (seed + loop number); default 42, so a run repeats. */
  public DrainProbe seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * How many requests must have been answered before {@link #sigterm()} signals (default 2,000, as
   * the sample emulator's drain test): the loops first settle into keep-alive traffic, so the signal
   * meets reused connections, and the emulator is past its first, slowest requests.
   */
  public DrainProbe warmUp(long answeredRequests) {
    this.warmUpRequests = answeredRequests;
    return this;
  }

  /** Speaks TLS with {@code context} (which decides what is trusted); the host name is checked. */
  public DrainProbe tls(SSLContext context) {
    this.tls = context;
    return this;
  }

  /** Starts every loop at one gate; call {@link ProbeLoad#markSignal} when you signal the server yourself. */
  public ProbeLoad start() {
    return new ProbeLoad(this);
  }

  /** {@link #throughSignal(Signal)} with SIGTERM. */
  public DrainReport sigterm() throws Exception {
    return throughSignal(Signal.TERM);
  }

  /**
   * The whole run: starts the loops, waits for the warm-up, sends {@code signal} to the emulator
   * process, waits for every loop to end and for the process to exit, and reports.
   *
   * @throws IllegalStateException if the probe was not made for an {@link EmulatorProcess}
   * @throws AssertionError if the warm-up is not reached within the probe's duration, or a loop or
   *     the process does not end in time
   */
  public DrainReport throughSignal(Signal signal) throws Exception {
    if (process == null) {
      throw new IllegalStateException("throughSignal needs DrainProbe.to(EmulatorProcess): only a child process can be signalled");
    }
    ProbeLoad load = start();
    if (!load.awaitWarmUp(maxDuration)) {
      throw new AssertionError("only " + load.completed() + " of " + warmUpRequests + " warm-up requests answered within "
          + maxDuration + "; lost: " + load.lossDetails() + "\n" + process.output());
    }
    long signalAt = System.nanoTime();
    load.markSignal(signalAt);
    process.signal(signal);
    List<ProbeResult> results = load.awaitEnd(maxDuration.plus(readTimeout));
    int exit = process.awaitExit(maxDuration);
    Duration signalToExit = Duration.ofNanos(System.nanoTime() - signalAt);
    return new DrainReport(results, loops, exit, signalToExit, load.lossDetails());
  }

  private static int positive(String what, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, was " + n);
    }
    return n;
  }
}
