package io.quiesce.test.probe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * A client TLS connection driven by the JDK's {@link SSLEngine} over a plain blocking socket, for
 * tests that must know how the server ended it. {@code SSLSocket} cannot say: on JDK 17 its read
 * returns -1 both after the peer's {@code close_notify} and after a bare FIN
 * (the sample emulator's {@code TlsCloseNotifyCheckTest} shows it). Here {@link #input()} returns
 * -1 only after a {@code close_notify}; a FIN without one throws the engine's truncation
 * {@link SSLException}, a reset the socket's exception. Not thread-safe: one reader and one writer
 * thread at most. The drain probe's TLS connections are these.
 */
public final class TlsConnection {

  private final Socket socket;
  private final SSLEngine engine;
  private final InputStream rawIn;
  private final OutputStream rawOut;
  private ByteBuffer netIn;
  private ByteBuffer appIn;
  private final InputStream input = new InputStream() {
    @Override
    public int read() throws IOException {
      return TlsConnection.this.read();
    }
  };
  private final OutputStream output = new OutputStream() {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      TlsConnection.this.write(ByteBuffer.wrap(b, off, len));
    }
  };

  private TlsConnection(SSLContext context, Socket socket, InetSocketAddress address) throws IOException {
    this.socket = socket;
    this.engine = context.createSSLEngine(address.getHostString(), address.getPort());
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    this.rawIn = socket.getInputStream();
    this.rawOut = socket.getOutputStream();
    this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
  }

  /** Does the handshake on a connected {@code socket} (its read timeout applies); the host name is checked. */
  public static TlsConnection handshake(SSLContext context, Socket socket, InetSocketAddress address) throws IOException {
    TlsConnection tls = new TlsConnection(context, socket, address);
    tls.engine.beginHandshake();
    tls.runHandshake();
    return tls;
  }

  /** Decrypted bytes from the server; -1 only after its {@code close_notify}. */
  public InputStream input() {
    return input;
  }

  /** Bytes to the server, encrypted as written. */
  public OutputStream output() {
    return output;
  }

  public Socket socket() {
    return socket;
  }

  /**
   * Reads past the last response to see how the server ended the connection: {@code null} when it
   * sent {@code close_notify}; otherwise what happened instead — a FIN without {@code close_notify}
   * (the engine's truncation exception), a reset, or nothing within the read timeout.
   */
  public String awaitCloseNotify() {
    try {
      int b = input.read();
      return b < 0 ? null : "a byte after the last response";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private void runHandshake() throws IOException {
    while (true) {
      switch (engine.getHandshakeStatus()) {
        case NEED_WRAP -> write(ByteBuffer.allocate(0));
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          if (unwrap() < 0) {
            throw new EOFException("connection closed during the TLS handshake");
          }
        }
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        default -> {
          return;
        }
      }
    }
  }

  private void write(ByteBuffer app) throws IOException {
    ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    do {
      net.clear();
      SSLEngineResult result = engine.wrap(app, net);
      if (result.getStatus() == SSLEngineResult.Status.CLOSED && net.position() == 0) {
        throw new SSLException("the TLS connection is closed");
      }
      rawOut.write(net.array(), 0, net.position());
    } while (app.hasRemaining());
    rawOut.flush();
  }

  private int read() throws IOException {
    while (!appIn.hasRemaining()) {
      if (unwrap() < 0) {
        return -1;
      }
    }
    return appIn.get() & 0xff;
  }

  /** One unwrap, reading from the socket as needed: 0 when something moved, -1 after close_notify. */
  private int unwrap() throws IOException {
    while (true) {
      netIn.flip();
      appIn.compact();
      SSLEngineResult result;
      try {
        result = engine.unwrap(netIn, appIn);
      } finally {
        netIn.compact();
        appIn.flip();
      }
      switch (result.getStatus()) {
        case CLOSED:
          return -1; // the peer's close_notify
        case BUFFER_OVERFLOW:
          appIn = ByteBuffer.allocate(appIn.capacity() * 2).put(appIn).flip();
          continue;
        case BUFFER_UNDERFLOW:
          if (!netIn.hasRemaining()) {
            netIn = ByteBuffer.allocate(netIn.capacity() * 2).put(netIn.flip());
          }
          int n = rawIn.read(netIn.array(), netIn.position(), netIn.remaining());
          if (n < 0) {
            engine.closeInbound(); // without a close_notify: throws the engine's truncation SSLException
            return -1;
          }
          netIn.position(netIn.position() + n);
          continue;
        default:
          if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
              || result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            runHandshake(); // TLS 1.3 post-handshake messages, key updates
          }
          return 0;
      }
    }
  }
}
