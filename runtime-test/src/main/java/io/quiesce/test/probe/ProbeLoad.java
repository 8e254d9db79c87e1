package io.quiesce.test.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The loops of a {@link DrainProbe}, running. Each loop is one thread with one connection at a
 * time: it reuses the connection while the server keeps it open, reconnects at once after
 * {@code Connection: close} (ignoring {@code Retry-After}, as an adversarial client would), and
 * stops when a connect is refused, or at its count or time bound. Thread-safe.
 */
public final class ProbeLoad {

  private final InetSocketAddress address;
  private final RequestMix mix;
  private final SSLContext tls;
  private final int maxRequestsPerLoop;
  private final long hardStopNanos;
  private final int readTimeoutMs;
  private final List<Thread> threads = new ArrayList<>();
  private final ConcurrentLinkedQueue<ProbeResult> results = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> lossDetails = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> uncleanCloses = new ConcurrentLinkedQueue<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong closeNotifies = new AtomicLong();
  private final CountDownLatch warmedUp;
  private volatile long signalNanos = Long.MAX_VALUE;

  ProbeLoad(DrainProbe probe) {
    this.address = probe.address;
    this.mix = probe.mix;
    this.tls = probe.tls;
    this.maxRequestsPerLoop = probe.maxRequestsPerLoop;
    this.hardStopNanos = System.nanoTime() + probe.maxDuration.toNanos();
    this.readTimeoutMs = Math.toIntExact(probe.readTimeout.toMillis());
    this.warmedUp = new CountDownLatch(Math.toIntExact(Math.min(Integer.MAX_VALUE, probe.warmUpRequests)));
    CountDownLatch gate = new CountDownLatch(1);
    for (int i = 0; i < probe.loops; i++) {
      int loop = i;
      Random random = new Random(probe.seed + i);
      Thread t = new Thread(() -> {
        try {
          gate.await();
          run(loop, random);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "drain-probe-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    gate.countDown(); // every loop starts at once
  }

  /** Requests answered so far, whatever the status. */
  public long completed() {
    return completed.get();
  }

  /** Waits until the probe's warm-up count of requests was answered; {@code false} if not within {@code limit}. */
  public boolean awaitWarmUp(Duration limit) throws InterruptedException {
    return warmedUp.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Marks the instant the signal is sent: requests written from then on count as after it. */
  public void markSignal(long nanos) {
    signalNanos = nanos;
  }

  /**
   * Waits for every loop to end and returns the results.
   *
   * @throws AssertionError if a loop is still running after {@code limit}
   */
  public List<ProbeResult> awaitEnd(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        throw new AssertionError("probe loop " + t.getName() + " still running after " + limit);
      }
    }
    return results();
  }

  /** The results so far: the loops' interleaved, each loop's own in the order it sent them ({@link ProbeResult#loop()}). */
  public List<ProbeResult> results() {
    return List.copyOf(results);
  }

  /** For each lost request, what the client saw (the exception, the bytes read). */
  public List<String> lossDetails() {
    return List.copyOf(lossDetails);
  }

  /** TLS only: connections the server closed after {@code Connection: close} with a {@code close_notify}. */
  public long closeNotifies() {
    return closeNotifies.get();
  }

  /** TLS only: connections the server closed without {@code close_notify} (FIN, reset, nothing), each described. */
  public List<String> uncleanCloses() {
    return List.copyOf(uncleanCloses);
  }

  private void run(int loop, Random random) {
    Socket socket = null;
    TlsConnection engine = null;
    InputStream in = null;
    OutputStream out = null;
    boolean reused = false;
    String previous = null; // the head of the last response on this connection, for loss reports
    int sent = 0;
    try {
      while (sent < maxRequestsPerLoop && System.nanoTime() < hardStopNanos) {
        if (socket == null) {
          boolean after = System.nanoTime() >= signalNanos;
          socket = new Socket();
          try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMs);
            socket.connect(address, readTimeoutMs);
            reused = false;
            previous = null;
          } catch (ConnectException e) {
            record(loop, Outcome.CONNECT_REFUSED, false, after, 0, System.nanoTime(), 0);
            return; // the listener refuses: this loop is done
          }
          engine = null;
          in = socket.getInputStream();
          out = socket.getOutputStream();
          if (tls != null) {
            try {
              engine = TlsConnection.handshake(tls, socket, address);
              in = engine.input();
              out = engine.output();
            } catch (IOException e) {
              // Closed while the handshake ran: nothing was written, like a refused connect.
              record(loop, Outcome.HANDSHAKE_FAILED, false, after, 0, System.nanoTime(), 0);
              return;
            }
          }
        }
        ProbeRequest request = mix.next(loop, random);
        long sentNanos = System.nanoTime();
        boolean after = sentNanos >= signalNanos;
        sent++;
        try {
          out.write(request.wire());
          out.flush();
        } catch (IOException e) {
          record(loop, Outcome.WRITE_FAILED, reused, after, 0, sentNanos, request.slowMillis());
          closeQuietly(socket);
          socket = null;
          continue;
        }
        ResponseReader.Response response = ResponseReader.read(in, request.head());
        Outcome outcome = response.outcome();
        record(loop, outcome, reused, after, response.status(), sentNanos, request.slowMillis());
        String thisHead = response.head();
        if (outcome.verdict() == Outcome.Verdict.LOST) {
          lossDetails.add((reused ? "reused" : "fresh") + (after ? ", sent " + (sentNanos - signalNanos) / 1_000_000 + " ms after the signal" : "")
              + ", " + request + ", " + response.bytesRead() + " bytes read: " + response.error()
              + (previous == null ? "" : "; the connection's previous response: " + previous));
        } else {
          completed.incrementAndGet();
          warmedUp.countDown();
        }
        if (outcome != Outcome.OK && outcome != Outcome.OTHER_STATUS || response.close()) {
          if (engine != null && response.close() && response.error() == null) {
            String unclean = engine.awaitCloseNotify();
            if (unclean == null) {
              closeNotifies.incrementAndGet();
            } else {
              uncleanCloses.add("after " + response.status() + ": " + unclean);
            }
          }
          closeQuietly(socket);
          socket = null;
        } else {
          reused = true;
          previous = thisHead;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      closeQuietly(socket);
    }
  }

  private void record(int loop, Outcome outcome, boolean reused, boolean after, int status, long sentNanos, long slowMillis) {
    results.add(new ProbeResult(loop, outcome, reused, after, status, sentNanos, slowMillis, System.nanoTime()));
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
