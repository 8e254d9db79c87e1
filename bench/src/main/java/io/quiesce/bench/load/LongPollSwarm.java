package io.quiesce.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many requests held open at once over raw non-blocking sockets, one connection each (no pool, no
 * retry), all read on one selector thread; each response is checked to be complete (status line,
 * headers, the whole Content-Length body) or classified as cut.
 */
public final class LongPollSwarm implements AutoCloseable {

  /** How the requests ended. */
  public record Tally(int complete200, int completeOther, int cut, int unanswered, int endedByDrain) {}

  private final List<Conn> conns = new ArrayList<>();
  private final Selector selector;

  private LongPollSwarm() throws IOException {
    this.selector = Selector.open();
  }

  /** Connects {@code count} sockets one after another and writes {@code GET path} on each. */
  public static LongPollSwarm open(int port, String path, int count) throws IOException {
    LongPollSwarm swarm = new LongPollSwarm();
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    try {
      for (int i = 0; i < count; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(address); // blocking connect: loopback, bounded by the kernel's connect timeout
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
          ch.write(out);
        }
        ch.configureBlocking(false);
        Conn c = new Conn(ch);
        swarm.conns.add(c);
        ch.register(swarm.selector, SelectionKey.OP_READ, c);
      }
    } catch (IOException e) {
      swarm.close();
      throw new IOException("opened only " + swarm.conns.size() + " of " + count + " connections", e);
    }
    return swarm;
  }

  /** Reads until every connection has a complete response or was closed, or {@code limitMs} passes. */
  public Tally awaitAll(long limitMs) throws IOException {
    long deadline = System.nanoTime() + limitMs * 1_000_000;
    int open = conns.size();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    while (open > 0 && System.nanoTime() < deadline) {
      selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      var it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        Conn c = (Conn) key.attachment();
        buf.clear();
        int n;
        try {
          n = c.ch.read(buf);
        } catch (IOException e) {
          n = -1; // reset
        }
        if (n > 0) {
          c.received.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
          if (c.complete()) {
            c.done = true;
            key.cancel();
            open--;
          }
        } else if (n < 0) {
          c.done = true;
          c.eof = true;
          key.cancel();
          open--;
        }
      }
    }
    int ok = 0;
    int other = 0;
    int cut = 0;
    int unanswered = 0;
    int drain = 0;
    for (Conn c : conns) {
      if (!c.done) {
        unanswered++;
      } else if (c.complete()) {
        if (c.status() == 200) {
          ok++;
          if (c.received.indexOf("\"ended_by\":\"drain\"") >= 0) {
            drain++;
          }
        } else {
          other++;
        }
      } else {
        cut++;
      }
    }
    return new Tally(ok, other, cut, unanswered, drain);
  }

  public int size() {
    return conns.size();
  }

  @Override
  public void close() throws IOException {
    for (Conn c : conns) {
      c.ch.close();
    }
    selector.close();
  }

  private static final class Conn {
    final SocketChannel ch;
    final StringBuilder received = new StringBuilder();
    boolean done;
    boolean eof;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }

    int status() {
      return Integer.parseInt(received.substring(9, 12));
    }

    /** Status line, headers and the whole body announced by Content-Length have arrived. */
    boolean complete() {
      int end = received.indexOf("\r\n\r\n");
      if (end < 0 || !received.toString().startsWith("HTTP/1.1 ")) {
        return false;
      }
      String head = received.substring(0, end).toLowerCase(Locale.ROOT);
      int at = head.indexOf("content-length:");
      if (at < 0) {
        return false;
      }
      int eol = head.indexOf("\r\n", at);
      int length = Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
      return received.length() - (end + 4) >= length;
    }
  }
}
