package io.quiesce.sample;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An adversarial HTTP/1.1 keep-alive load over raw sockets that classifies every request itself,
 * as docs/DRAIN.md asks: pooled clients retry on dead connections and would hide exactly the losses
 * this looks for. Each loop reuses its connection while the server allows, reconnects at once after
 * {@code Connection: close}, ignores Retry-After, and stops only when a connect is refused after
 * the signal (or at its count and time bounds).
 *
 * <p>With an {@link SSLContext} every connection is TLS ({@link EngineTls}: the handshake is part of
 * connecting, the host name checked against the certificate), and each connection the server
 * closes after a {@code Connection: close} response is read to its end: it must end with the
 * server's TLS {@code close_notify}, never a bare FIN or reset ({@link #uncleanCloses()}).
 *
 * <p>Also the drain benchmark's load (bench/, through this module's test jar).
 */
public final class RawHttpLoad {

  public enum Outcome {
    /** A complete 2xx. */
    OK,
    /** A complete 503: nothing ran, the client may retry. Clean. */
    REFUSED_503,
    /** The connect itself was refused: nothing was sent. Clean. */
    CONNECT_REFUSED,
    /** TLS only: the connection closed during the handshake, before any request was written. Clean. */
    HANDSHAKE_FAILED,
    /** The write failed at once: the connection was already known dead. Clean. */
    WRITE_FAILED,
    /** Request written, then EOF or reset before the first response byte. A loss. */
    LOST_NO_RESPONSE,
    /** Response cut in the middle. A loss. */
    LOST_PARTIAL,
    /** No response within the read timeout. A loss. */
    LOST_TIMEOUT,
    /** A complete response with an unexpected status. */
    UNEXPECTED_STATUS
  }

  /**
   * One request (or connect attempt) and how it ended, by loop {@code loop}; {@code sentNanos},
   * {@code slowMs} and {@code doneNanos} let a caller compute how long requests in flight at the
   * signal still had to run. A loop's results are in the order it sent them.
   */
  public record Result(int loop, Outcome outcome, boolean reused, boolean afterSignal, boolean slow, int status,
      long sentNanos, long slowMs, long doneNanos) {
    public boolean lost() {
      return outcome == Outcome.LOST_NO_RESPONSE || outcome == Outcome.LOST_PARTIAL || outcome == Outcome.LOST_TIMEOUT;
    }
  }

  private final InetSocketAddress address;
  private final int loops;
  private final int slowLoops;
  private final double slowShare;
  private final int maxRequestsPerLoop;
  private final long hardStopNanos;
  private final int readTimeoutMs;
  private final long seed;
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final AtomicLong completed = new AtomicLong();
  private final SSLContext tls;
  private final AtomicLong closeNotifies = new AtomicLong();
  private final ConcurrentLinkedQueue<String> uncleanCloses = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> lossDetails = new ConcurrentLinkedQueue<>();
  private volatile long signalNanos = Long.MAX_VALUE;

  /**
   * @param slowLoops how many of the loops send only slow requests (0.5–2 s, so that some are in
   *     flight when the signal comes)
   * @param slowShare the share of slow requests in the other loops; the rest are answered at once,
   *     hammering keep-alive connections
   */
  public RawHttpLoad(InetSocketAddress address, int loops, int slowLoops, double slowShare, int maxRequestsPerLoop,
      long maxMillis, int readTimeoutMs, long seed) {
    this(address, loops, slowLoops, slowShare, maxRequestsPerLoop, maxMillis, readTimeoutMs, seed, null);
  }

  /** The same load over TLS with {@code tls} (which decides what is trusted); {@code null} for plain HTTP. */
  public RawHttpLoad(InetSocketAddress address, int loops, int slowLoops, double slowShare, int maxRequestsPerLoop,
      long maxMillis, int readTimeoutMs, long seed, SSLContext tls) {
    this.tls = tls;
    this.address = address;
    this.loops = loops;
    this.slowLoops = slowLoops;
    this.slowShare = slowShare;
    this.maxRequestsPerLoop = maxRequestsPerLoop;
    this.hardStopNanos = System.nanoTime() + maxMillis * 1_000_000;
    this.readTimeoutMs = readTimeoutMs;
    this.seed = seed;
  }

  /** Starts every loop at one gate; returns their threads. */
  public List<Thread> start() {
    CountDownLatch gate = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      int index = i;
      Random random = new Random(seed + i);
      boolean slowLoop = i < slowLoops;
      Thread t = new Thread(() -> {
        try {
          gate.await();
          runLoop(index, random, slowLoop);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    gate.countDown();
    return threads;
  }

  /** Requests answered so far (any status). */
  public long completed() {
    return completed.get();
  }

  /** Marks the instant the signal is sent: requests written from now on count as "after". */
  public void markSignal(long nanos) {
    signalNanos = nanos;
  }

  public List<Result> results() {
    return List.copyOf(results);
  }

  /** What the client saw for each lost request (the exception, the bytes read), for reports. */
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

  /**
   * How the server ended a TLS connection after its last response: {@code null} when it sent
   * {@code close_notify}; otherwise what happened instead — a FIN without {@code close_notify}
   * (the engine's truncation exception), a reset, or nothing within the read timeout.
   */
  static String awaitCloseNotify(EngineTls connection) {
    try {
      int b = connection.input().read();
      return b < 0 ? null : "a byte after the last response";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** A TLS socket to {@code address} through {@code factory}, handshake done, the certificate checked for the host. */
  public static SSLSocket connectTls(SSLSocketFactory factory, InetSocketAddress address, int timeoutMs) throws IOException {
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.setSoTimeout(timeoutMs);
      plain.connect(address, timeoutMs);
    } catch (IOException e) {
      plain.close();
      throw e;
    }
    return handshake(factory, plain, address);
  }

  private static SSLSocket handshake(SSLSocketFactory factory, Socket plain, InetSocketAddress address) throws IOException {
    SSLSocket socket = (SSLSocket) factory.createSocket(plain, address.getHostString(), address.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setUseClientMode(true);
    socket.startHandshake();
    return socket;
  }

  private void runLoop(int loop, Random random, boolean slowLoop) {
    Socket socket = null;
    EngineTls engine = null;
    InputStream in = null;
    OutputStream out = null;
    boolean reused = false;
    int sent = 0;
    try {
      while (sent < maxRequestsPerLoop && System.nanoTime() < hardStopNanos) {
        if (socket == null) {
          boolean after = System.nanoTime() >= signalNanos;
          try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMs);
            socket.connect(address, readTimeoutMs);
            reused = false;
          } catch (ConnectException e) {
            long now = System.nanoTime();
            results.add(new Result(loop, Outcome.CONNECT_REFUSED, false, after, false, 0, now, 0, now));
            closeQuietly(socket);
            return; // the listener refuses: this loop is done
          }
          engine = null;
          in = socket.getInputStream();
          out = socket.getOutputStream();
          if (tls != null) {
            try {
              engine = EngineTls.handshake(tls, socket, address);
              in = engine.input();
              out = engine.output();
            } catch (IOException e) {
              // Closed while the handshake ran: nothing was written, like a refused connect.
              long now = System.nanoTime();
              results.add(new Result(loop, Outcome.HANDSHAKE_FAILED, false, after, false, 0, now, 0, now));
              closeQuietly(socket);
              return;
            }
          }
        }
        boolean slow = slowLoop || random.nextDouble() < slowShare;
        int ms = slow ? 500 + random.nextInt(1500) : 0;
        long sentNanos = System.nanoTime();
        boolean after = sentNanos >= signalNanos;
        sent++;
        byte[] request = ("GET /_demo/slow?ms=" + ms + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
          out.write(request);
          out.flush();
        } catch (IOException e) {
          results.add(new Result(loop, Outcome.WRITE_FAILED, reused, after, slow, 0, sentNanos, ms, System.nanoTime()));
          closeQuietly(socket);
          socket = null;
          continue;
        }
        Response response = read(in);
        Outcome outcome = response.outcome();
        Result result = new Result(loop, outcome, reused, after, slow, response.status, sentNanos, ms, System.nanoTime());
        results.add(result);
        if (result.lost()) {
          lossDetails.add((reused ? "reused" : "fresh") + (after ? ", after signal" : "") + ", " + response.bytesRead
              + " bytes read: " + response.error);
        }
        if (outcome == Outcome.OK || outcome == Outcome.REFUSED_503 || outcome == Outcome.UNEXPECTED_STATUS) {
          completed.incrementAndGet();
        }
        if (outcome != Outcome.OK || response.close) {
          if (engine != null && response.close && response.error == null) {
            String unclean = awaitCloseNotify(engine);
            if (unclean == null) {
              closeNotifies.incrementAndGet();
            } else {
              uncleanCloses.add("after " + response.status + ": " + unclean);
            }
          }
          closeQuietly(socket);
          socket = null;
        } else {
          reused = true;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      closeQuietly(socket);
    }
  }

  private record Response(int status, boolean close, int bytesRead, String error) {
    Outcome outcome() {
      if (error != null) {
        if (error.equals("timeout")) {
          return Outcome.LOST_TIMEOUT;
        }
        return bytesRead == 0 ? Outcome.LOST_NO_RESPONSE : Outcome.LOST_PARTIAL;
      }
      if (status >= 200 && status < 300) {
        return Outcome.OK;
      }
      return status == 503 ? Outcome.REFUSED_503 : Outcome.UNEXPECTED_STATUS;
    }
  }

  private static Response read(InputStream in) {
    int[] count = {0};
    try {
      String statusLine = readLine(in, count);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = -1;
      boolean close = false;
      String line;
      while (!(line = readLine(in, count)).isEmpty()) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(lower.substring(15).trim());
        } else if (lower.startsWith("connection:") && lower.contains("close")) {
          close = true;
        }
      }
      if (length < 0) {
        return new Response(status, true, count[0], "no content-length");
      }
      for (int i = 0; i < length; i++) {
        if (in.read() < 0) {
          throw new EOFException();
        }
        count[0]++;
      }
      return new Response(status, close, count[0], null);
    } catch (SocketTimeoutException e) {
      return new Response(0, true, count[0], "timeout");
    } catch (IOException | RuntimeException e) {
      return new Response(0, true, count[0], e.toString());
    }
  }

  private static String readLine(InputStream in, int[] count) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("after " + count[0] + " bytes");
      }
      count[0]++;
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
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

  /** Counts per outcome, split by reused/fresh connection and before/after the signal, as a Markdown table. */
  public static String table(List<Result> results) {
    Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);
    for (Result r : results) {
      long[] c = counts.computeIfAbsent(r.outcome(), k -> new long[4]);
      c[(r.reused() ? 0 : 1) + (r.afterSignal() ? 2 : 0)]++;
    }
    StringBuilder sb = new StringBuilder("| outcome | reused conn, before signal | fresh conn, before | reused, after signal | fresh, after |\n|---|---:|---:|---:|---:|\n");
    counts.forEach((o, c) -> sb.append(String.format("| %s | %d | %d | %d | %d |%n", o, c[0], c[1], c[2], c[3])));
    return sb.toString();
  }
}
