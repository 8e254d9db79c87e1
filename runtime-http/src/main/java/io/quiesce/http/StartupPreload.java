package io.quiesce.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;

/**
 * Work done on a thread of its own while the runtime assembles, which the event loop would
 * otherwise do while the server binds or on its way to ready, on a second core when there is one.
 *
 * <ul>
 *   <li>The annotations Netty reads when the server's first channels are set up: it asks each
 *       handler class whether it is {@code @Sharable} and which of its methods are {@code @Skip},
 *       and the JDK answers the first such question about an annotation type by generating a proxy
 *       class for it and its meta-annotations ({@code @Inherited}, {@code @Retention}, ...), some
 *       15 ms on the event loop. Generated here, the proxies are in the JDK's cache when Netty asks.
 *   <li>The JVM's start time, for the Ready line's "started in": the JDK's management beans it
 *       comes from set themselves up on first use (a native library, MBean providers), a few
 *       milliseconds between RUNNING and the readiness route's first 200.
 * </ul>
 *
 * <p>Only annotations and JDK management classes: no class of Netty's or the runtime's is
 * initialised, so nothing here can wait for, or make wait, a class the startup thread initialises.
 * A failure here is ignored; the work is then done where it was before.
 */
final class StartupPreload {

  private final CompletableFuture<Long> jvmStartMillis = new CompletableFuture<>();

  private StartupPreload() {}

  /** Starts the preload on a daemon thread. */
  static StartupPreload start() {
    StartupPreload preload = new StartupPreload();
    Thread t = new Thread(preload::run, "quiesce-startup-preload");
    t.setDaemon(true);
    t.start();
    return preload;
  }

  /** When the JVM started (epoch milliseconds): the preload's answer, or asked now if it has none yet. */
  long jvmStartMillis() {
    Long preloaded = jvmStartMillis.getNow(null);
    return preloaded != null ? preloaded : ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  private void run() {
    try {
      ChannelHandler.Sharable.class.getAnnotations();
      ChannelInitializer.class.getAnnotations();
      ChannelInboundHandlerAdapter.class.getMethod("channelRead", ChannelHandlerContext.class, Object.class).getAnnotations();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Not needed for anything to work: the event loop reads them itself.
    }
    try {
      jvmStartMillis.complete(ManagementFactory.getRuntimeMXBean().getStartTime());
    } catch (RuntimeException | LinkageError e) {
      // jvmStartMillis() asks for itself.
    }
  }
}
