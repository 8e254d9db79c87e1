package io.quiesce.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** One HTTPS request over a raw TLS socket (no pooling client): the status, the body and the certificate the server showed. */
record TlsExchange(int status, String body, Certificate serverCertificate) {

  static TlsExchange get(SSLSocketFactory factory, int port, String path) throws IOException {
    try (SSLSocket socket = RawHttpLoad.connectTls(factory, new InetSocketAddress("127.0.0.1", port), 10_000)) {
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
}
