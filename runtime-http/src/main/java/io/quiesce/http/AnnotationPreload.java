package io.quiesce.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;

/**
 * Reads, on a thread of its own while the runtime assembles, the annotations Netty reads when the
 * server's first channels are set up. Netty asks each handler class whether it is
 * {@code @Sharable} and which of its methods are {@code @Skip}; the JDK answers the first such
 * question about an annotation type by generating a proxy class for it and for its
 * meta-annotations ({@code @Inherited}, {@code @Retention}, ...), some 15 ms on the event loop
 * while the server binds, before it can report that it listens. Generated here, the proxies are
 * already in the JDK's cache when Netty asks, the work done on a second core when there is one.
 *
 * <p>Only annotations are read: no class is initialised, so nothing here can wait for, or make
 * wait, a class the startup thread initialises. Any failure is ignored; the event loop would then
 * do the same work as before.
 */
final class AnnotationPreload {

  private AnnotationPreload() {}

  /** Starts the preload on a daemon thread. */
  static void start() {
    Thread t = new Thread(AnnotationPreload::read, "quiesce-annotation-preload");
    t.setDaemon(true);
    t.start();
  }

  private static void read() {
    try {
      ChannelHandler.Sharable.class.getAnnotations();
      ChannelInitializer.class.getAnnotations();
      ChannelInboundHandlerAdapter.class.getMethod("channelRead", ChannelHandlerContext.class, Object.class).getAnnotations();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // Not needed for anything to work: the event loop reads them itself.
    }
  }
}
