package io.quiesce.test.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import javax.net.ssl.SSLException;

/**
 * An adversarial HTTP/2 load at the frame level — Netty's HTTP/2 codec as a client, no pooling, no
 * retries — that classifies every stream itself, as docs/DRAIN.md defines for HTTP/2. Each of
 * {@code connections} loops keeps {@code concurrency} streams open on its connection (a quarter of
 * them slow) for a few dozen streams, opens no new stream once it has received a GOAWAY, and reconnects (h2c with prior
 * knowledge, or h2 over TLS by ALPN) as soon as its connection is gone — until a connect is refused
 * after the signal, or its time bound is reached.
 *
 * <p>The HTTP/2 counterpart of {@link DrainProbe}: pooling HTTP/2 clients retry refused streams and
 * hide exactly the losses a drain test looks for. Every loop is bounded in time.
 */
public final class Http2Load {

  /** How one stream (or connect attempt) ended, as docs/DRAIN.md classifies it for HTTP/2. */
  public enum Outcome {
    /** A complete 2xx. */
    OK,
    /** A complete 503: nothing ran. Clean. */
    REFUSED_503,
    /** RST_STREAM with REFUSED_STREAM: not processed, the client may retry. Clean. */
    REFUSED_STREAM,
    /** Above the final GOAWAY's last-stream-id: not processed (RFC 9113 §6.8). Clean. */
    ABOVE_GOAWAY,
    /** The connect was refused: nothing was sent. Clean. */
    CONNECT_REFUSED,
    /** Accepted, then reset by the server with another code. A loss. */
    LOST_RESET,
    /** Accepted (at or below the last-stream-id, or no GOAWAY), open when the connection closed. A loss. */
    LOST_OPEN_AT_CLOSE,
    /** No end within the time bound. A loss. */
    LOST_TIMEOUT,
    /** A complete response with another status. */
    UNEXPECTED_STATUS
  }

  /**
   * One stream (or refused connect): {@code sentNanos} and {@code slowMs} (what it asked the server
   * to take) let a caller compute how long streams open at the signal still had to run.
   */
  public record Result(Outcome outcome, boolean afterSignal, int streamId, int status, long sentNanos, long slowMs) {
    /** Accepted by the server and then not answered: what the drain promises never to happen. */
    public boolean lost() {
      return outcome == Outcome.LOST_RESET || outcome == Outcome.LOST_OPEN_AT_CLOSE || outcome == Outcome.LOST_TIMEOUT;
    }
  }

  /** How long after the load's time bound a stream may still be open before it counts as lost. */
  private static final long STREAM_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final InetSocketAddress address;
  private final LongFunction<String> path;
  private final SslContext tls; // null: h2c with prior knowledge
  private final int connections;
  private final int concurrency;
  private final long hardStopNanos;
  private final Random random;
  private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong goaways = new AtomicLong();
  private final AtomicLong oneGoaway = new AtomicLong();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final CountDownLatch finished;
  private volatile long signalNanos = Long.MAX_VALUE;

  /**
   * @param path the path of a stream that should take the given milliseconds on the server (0:
   *     answered at once); a quarter of the streams ask for 300–1500 ms
   * @param tls whether to speak h2 over TLS (ALPN; any certificate is trusted) instead of h2c
   * @param maxMillis bound on the whole run: no stream is opened after it
   */
  public Http2Load(InetSocketAddress address, LongFunction<String> path, boolean tls, int connections, int concurrency,
      long maxMillis, long seed) throws SSLException {
    this.address = address;
    this.path = path;
    this.tls = tls ? clientTls() : null;
    this.connections = connections;
    this.concurrency = concurrency;
    this.hardStopNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    this.random = new Random(seed);
    this.finished = new CountDownLatch(connections);
  }

  private static SslContext clientTls() throws SSLException {
    return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
  }

  /** Opens every loop's first connection; returns at once. */
  public void start() {
    for (int i = 0; i < connections; i++) {
      connect(new Loop());
    }
  }

  /** Marks the instant the signal is sent: streams opened from then on count as after it. */
  public void markSignal(long nanos) {
    signalNanos = nanos;
  }

  /** Streams (and refused connects) classified so far. */
  public long completed() {
    return completed.get();
  }

  /** GOAWAY frames received over all connections (a two-phase drain sends two per connection). */
  public long goawaysReceived() {
    return goaways.get();
  }

  /** Connections that closed after exactly one GOAWAY: a single-phase drain. */
  public long connectionsWithOneGoaway() {
    return oneGoaway.get();
  }

  /** Waits for every loop to stop; false if one is still running at the bound. */
  public boolean await(long millis) throws InterruptedException {
    boolean done = finished.await(millis, TimeUnit.MILLISECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return done;
  }

  /** Every stream classified so far. */
  public List<Result> results() {
    return new ArrayList<>(results);
  }

  /** Counts per outcome before and after the signal, unexpected statuses and the first lost streams, for a report. */
  public static String table(List<Result> results) {
    Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);
    for (Result r : results) {
      counts.computeIfAbsent(r.outcome(), o -> new long[2])[r.afterSignal() ? 1 : 0]++;
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-20s %10s %10s%n", "HTTP/2 stream", "before", "after"));
    counts.forEach((o, c) -> out.append(String.format(Locale.ROOT, "%-20s %10d %10d%n", o, c[0], c[1])));
    results.stream().filter(r -> r.outcome() == Outcome.UNEXPECTED_STATUS).map(Result::status).distinct()
        .forEach(st -> out.append("unexpected status: ").append(st).append('\n'));
    results.stream().filter(Result::lost).limit(10)
        .forEach(r -> out.append("lost: stream ").append(r.streamId()).append(' ').append(r.outcome()).append('\n'));
    return out.toString();
  }

  // Streams a connection carries before the client closes it and opens another: new connections
  // keep arriving, as clients come and go, so some meet the listener's close.
  private synchronized int nextBudget() {
    return 16 + random.nextInt(48);
  }

  private synchronized int nextSlowMs() {
    return random.nextInt(4) == 0 ? 300 + random.nextInt(1200) : 0;
  }

  private void record(Outcome outcome, long sentNanos, long slowMs, int streamId, int status) {
    results.add(new Result(outcome, sentNanos >= signalNanos, streamId, status, sentNanos, slowMs));
    completed.incrementAndGet();
  }

  private void connect(Loop loop) {
    if (System.nanoTime() > hardStopNanos) {
      loop.finish();
      return;
    }
    long at = System.nanoTime();
    new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            Connection connection = new Connection(loop);
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
            }
            ch.pipeline().addLast(new Http2ConnectionHandlerBuilder().server(false).frameListener(connection)
                .initialSettings(Http2Settings.defaultSettings()).build());
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                connection.connected = true;
                ctx.fireChannelActive();
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // a reset or a protocol error: the streams still open are classified at close
              }
            });
            ch.closeFuture().addListener(f -> connection.onClosed());
          }
        })
        .connect(address).addListener(f -> {
          if (f.isSuccess()) {
            return; // the connection fills its streams once the server's SETTINGS arrive
          }
          if (f.cause() instanceof ConnectException && at >= signalNanos) {
            record(Outcome.CONNECT_REFUSED, at, 0, 0, 0);
            loop.finish(); // the listener is gone: this loop is done
          } else {
            group.schedule(() -> connect(loop), 10, TimeUnit.MILLISECONDS);
          }
        });
  }

  /** One client loop: one connection at a time, a new one as soon as the last is gone. */
  private final class Loop {
    private boolean done; // guarded by the loop's one connection at a time

    synchronized void finish() {
      if (!done) {
        done = true;
        finished.countDown();
      }
    }
  }

  private record Stream(long sentNanos, long slowMs, int[] status) {}

  /** Frames of one connection; all on its event loop. */
  private final class Connection extends Http2EventAdapter {
    private final Loop loop;
    private final Map<Integer, Stream> open = new HashMap<>();
    private ChannelHandlerContext ctx;
    private Http2ConnectionHandler handler;
    private int finalLastStreamId = Integer.MAX_VALUE;
    private boolean goawayReceived;
    private int goawaysHere;
    private boolean closed;
    private int budget = nextBudget();
    private boolean connected; // false: the connect failed, and its listener decides what comes next

    Connection(Loop loop) {
      this.loop = loop;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (this.ctx == null) {
        this.ctx = ctx;
        this.handler = ctx.pipeline().get(Http2ConnectionHandler.class);
        ctx.executor().schedule(this::timeoutCheck, 1, TimeUnit.SECONDS);
        fill();
      }
    }

    private void fill() {
      while (!closed && !goawayReceived && open.size() < concurrency && budget > 0 && System.nanoTime() < hardStopNanos) {
        budget--;
        int id = handler.connection().local().incrementAndGetNextStreamId();
        int slowMs = nextSlowMs();
        Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme(tls != null ? "https" : "http")
            .authority(address.getHostString() + ":" + address.getPort()).path(path.apply(slowMs));
        open.put(id, new Stream(System.nanoTime(), slowMs, new int[1]));
        handler.encoder().writeHeaders(ctx, id, headers, 0, true, ctx.newPromise());
      }
      ctx.flush();
      if (!goawayReceived && (budget == 0 || System.nanoTime() >= hardStopNanos) && open.isEmpty()) {
        ctx.close();
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
      Stream s = open.get(streamId);
      if (s == null) {
        return;
      }
      if (headers.status() != null) {
        s.status()[0] = Integer.parseInt(headers.status().toString());
      }
      if (endOfStream) {
        end(streamId, s);
      }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
        boolean exclusive, int padding, boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      Stream s = open.get(streamId);
      if (s != null && endOfStream) {
        end(streamId, s);
      }
      return data.readableBytes() + padding;
    }

    private void end(int streamId, Stream s) {
      open.remove(streamId);
      int status = s.status()[0];
      Outcome o = status / 100 == 2 ? Outcome.OK : status == 503 ? Outcome.REFUSED_503 : Outcome.UNEXPECTED_STATUS;
      record(o, s.sentNanos(), s.slowMs(), streamId, status);
      fill();
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Stream s = open.remove(streamId);
      if (s != null) {
        record(errorCode == Http2Error.REFUSED_STREAM.code() ? Outcome.REFUSED_STREAM : Outcome.LOST_RESET, s.sentNanos(), s.slowMs(),
            streamId, 0);
      }
      fill();
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      goaways.incrementAndGet();
      goawaysHere++;
      goawayReceived = true;
      finalLastStreamId = Math.min(finalLastStreamId, lastStreamId);
    }

    private void timeoutCheck() {
      if (closed) {
        return;
      }
      if (System.nanoTime() > hardStopNanos + STREAM_GRACE_NANOS) {
        open.forEach((id, s) -> record(Outcome.LOST_TIMEOUT, s.sentNanos(), s.slowMs(), id, 0));
        open.clear();
        ctx.close();
        return;
      }
      ctx.executor().schedule(this::timeoutCheck, 1, TimeUnit.SECONDS);
    }

    void onClosed() {
      if (!connected) {
        return;
      }
      closed = true;
      if (goawaysHere == 1) {
        oneGoaway.incrementAndGet();
      }
      // Open streams: clean if above the final GOAWAY's last-stream-id, lost otherwise.
      open.forEach((id, s) -> record(goawayReceived && id > finalLastStreamId ? Outcome.ABOVE_GOAWAY : Outcome.LOST_OPEN_AT_CLOSE,
          s.sentNanos(), s.slowMs(), id, 0));
      open.clear();
      connect(loop);
    }
  }
}
