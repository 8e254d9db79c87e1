package io.quiesce.http.drain;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * In the listening socket's pipeline, before Netty's acceptor: gives every accepted connection its
 * {@link ConnectionGuard}, whose head watch goes first in the connection's pipeline, so that the
 * connection is timed and known to the drain from its accept on — whatever protocol it turns out
 * to speak, and before Vert.x knows (with HTTP/2 on, a cleartext connection is set up only once
 * its first bytes arrive). One guard and one head watch per connection, nothing per request.
 */
@ChannelHandler.Sharable
final class AcceptWatch extends ChannelInboundHandlerAdapter {

  private final HttpDrain drain;
  private final ConnectionTimeouts timeouts;

  AcceptWatch(HttpDrain drain, ConnectionTimeouts timeouts) {
    this.drain = drain;
    this.timeouts = timeouts;
  }

  // On the listener's event loop; the connection is registered with its own loop after this, and
  // the watch's handlerAdded runs there.
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      accepted.pipeline().addFirst(HttpDrain.HEAD_WATCH_NAME, new ConnectionGuard(drain, timeouts).headWatch());
    }
    ctx.fireChannelRead(msg);
  }
}
