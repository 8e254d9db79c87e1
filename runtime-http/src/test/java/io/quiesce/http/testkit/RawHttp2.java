package io.quiesce.http.testkit;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One cleartext HTTP/2 connection with prior knowledge over a raw socket, to 127.0.0.1: the test
 * writes the bytes it chooses and reads every frame the server sends. Nothing is answered on the
 * test's behalf (no SETTINGS ack, no PING reply), so what the server does on its own shows.
 */
public final class RawHttp2 implements AutoCloseable {

  /** The client connection preface (RFC 9113 §3.4). */
  public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame as read. */
  public record Frame(int type, int flags, int stream, byte[] payload) {
    public static final int SETTINGS = 0x4;
    public static final int GOAWAY = 0x7;

    /** A GOAWAY's error code (0: NO_ERROR). */
    public long errorCode() {
      return ByteBuffer.wrap(payload, 4, 4).getInt() & 0xFFFF_FFFFL;
    }

    /** A GOAWAY's last-stream-id. */
    public int lastStreamId() {
      return ByteBuffer.wrap(payload, 0, 4).getInt() & 0x7FFF_FFFF;
    }
  }

  /** The frames read and how the connection ended. */
  public record Received(List<Frame> frames, RawConnection.Ending ending) {

    /** The GOAWAY frames among them, in order. */
    public List<Frame> goAways() {
      return frames.stream().filter(f -> f.type() == Frame.GOAWAY).toList();
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawHttp2(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawHttp2 open(int port) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return new RawHttp2(socket);
  }

  /** Writes the client preface and an empty SETTINGS frame: an HTTP/2 connection that asks nothing yet. */
  public RawHttp2 writePrefaceAndSettings() throws IOException {
    out.write(PREFACE);
    out.write(new byte[] {0, 0, 0, Frame.SETTINGS, 0, 0, 0, 0, 0});
    out.flush();
    return this;
  }

  /**
   * Reads frames until the server ends the connection or {@code limit} has passed (from the call);
   * a frame cut by the end counts as the end.
   */
  public Received readUntilEnd(Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return new Received(frames, RawConnection.Ending.STILL_OPEN);
      }
      socket.setSoTimeout((int) left);
      try {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7FFF_FFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        frames.add(new Frame(type, flags, stream, payload));
      } catch (EOFException e) {
        return new Received(frames, RawConnection.Ending.EOF);
      } catch (SocketTimeoutException e) {
        return new Received(frames, RawConnection.Ending.STILL_OPEN);
      } catch (SocketException e) {
        return new Received(frames, RawConnection.Ending.RESET);
      }
    }
    throw new AssertionError("more than 10000 frames: " + frames.size());
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
