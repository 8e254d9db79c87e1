package io.quiesce.http.drain;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AttributeKey;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Tells, for one HTTP/2 connection, when a stream is closed: its response sent in full and its
 * request read in full, or the stream reset, or the connection gone (Netty closes every open stream
 * then). What the request tracker counts an HTTP/2 request's end by, the way the connection's
 * {@link ConnectionGuard} tells it for HTTP/1.x: a listener on Netty's stream set, so the end is
 * known whatever handlers the application puts on the response (vert.x-web's end handlers live in
 * the response's single handler slots, which an application's own end handler silently replaces).
 *
 * <p>Confined to the connection's event loop; waiting streams are kept by id in a map of primitive
 * keys, so a request allocates nothing here in the steady state.
 */
final class StreamEnds extends Http2ConnectionAdapter {

  private static final AttributeKey<StreamEnds> KEY = AttributeKey.valueOf(StreamEnds.class, "streamEnds");

  private final Channel channel;
  private final Http2Connection streams;
  private final IntObjectHashMap<Runnable> waiting = new IntObjectHashMap<>();

  private StreamEnds(Channel channel, Http2Connection streams) {
    this.channel = channel;
    this.streams = streams;
  }

  /** Starts telling stream ends on {@code channel}, whose HTTP/2 streams are {@code streams}. */
  static void install(Channel channel, Http2Connection streams) {
    StreamEnds ends = new StreamEnds(channel, streams);
    streams.addListener(ends);
    channel.attr(KEY).set(ends);
  }

  /** The stream ends on {@code channel}; null if it is not an HTTP/2 connection this drain set up. */
  static StreamEnds on(Channel channel) {
    return channel.attr(KEY).get();
  }

  /**
   * Tells {@code whenClosed} once stream {@code id} is closed, at once if it already is. False,
   * and nothing told, off the connection's event loop.
   */
  boolean tellWhenClosed(int id, Runnable whenClosed) {
    if (!channel.eventLoop().inEventLoop()) {
      return false;
    }
    Http2Stream stream = streams.stream(id);
    if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
      whenClosed.run();
    } else {
      waiting.put(id, whenClosed);
    }
    return true;
  }

  @Override
  public void onStreamClosed(Http2Stream stream) {
    Runnable r = waiting.remove(stream.id());
    if (r != null) {
      r.run();
    }
  }
}
