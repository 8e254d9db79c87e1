package io.quiesce.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** One HTTPS request over a raw TLS socket (no pooling client): the status, the body and the certificate the server showed. */
record TlsExchange(int status, String body, Certificate serverCertificate) {

  static TlsExchange get(SSLSocketFactory factory, int port, String path) throws IOException {
    try (SSLSocket socket = connect(factory, new InetSocketAddress("127.0.0.1", port), 10_000)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new TlsExchange(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4),
          socket.getSession().getPeerCertificates()[0]);
    }
  }

  /** A TLS socket to {@code address} through {@code factory}, handshake done, the certificate checked for the host. */
  static SSLSocket connect(SSLSocketFactory factory, InetSocketAddress address, int timeoutMs) throws IOException {
    Socket plain = new Socket();
    try {
      plain.setTcpNoDelay(true);
      plain.setSoTimeout(timeoutMs);
      plain.connect(address, timeoutMs);
    } catch (IOException e) {
      plain.close();
      throw e;
    }
    SSLSocket socket = (SSLSocket) factory.createSocket(plain, address.getHostString(), address.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    socket.setSSLParameters(parameters);
    socket.setUseClientMode(true);
    socket.startHandshake();
    return socket;
  }
}
