package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.probe.TlsConnection;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The check {@link DrainUnderLoadTlsTest} relies on tells a TLS {@code close_notify} from a bare
 * FIN or a reset: a server over real sockets ends its connection each way in turn. (The JDK's
 * SSLSocket cannot: its read returns -1 after a bare FIN too; hence {@link TlsConnection}.)
 */
class TlsCloseNotifyCheckTest {

  enum Ending { CLOSE_NOTIFY, BARE_FIN, RESET }

  @TempDir
  static Path dir;
  private static TestCertificates certs;
  private static SSLContext server;

  @BeforeAll
  static void keyMaterial() throws Exception {
    certs = TestCertificates.create(dir);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.keystore())) {
      store.load(in, certs.password().toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, certs.password().toCharArray());
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
  }

  @ParameterizedTest
  @EnumSource(Ending.class)
  void onlyACloseNotifyCountsAsAClean(Ending ending) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket plain = listener.accept()) {
          SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(plain, null, plain.getPort(), false);
          tls.setUseClientMode(false);
          tls.startHandshake();
          tls.getOutputStream().write('x');
          tls.getOutputStream().flush();
          tls.getInputStream().read(); // the client has read the 'x': a reset cannot destroy it now
          switch (ending) {
            case CLOSE_NOTIFY -> tls.close();
            case BARE_FIN -> plain.shutdownOutput();
            case RESET -> plain.setSoLinger(true, 0);
          }
          if (ending == Ending.BARE_FIN) {
            plain.getInputStream().readAllBytes(); // until the client is done
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
      try (Socket plain = new Socket()) {
        plain.setSoTimeout(10_000);
        plain.connect(address);
        TlsConnection client = TlsConnection.handshake(TestCertificates.trustingContext(certs.certPem()), plain, address);
        assertThat(client.input().read()).isEqualTo('x');
        client.output().write('y');
        String ended = client.awaitCloseNotify();
        if (ending == Ending.CLOSE_NOTIFY) {
          assertThat(ended).isNull();
        } else {
          assertThat(ended).as("a %s is not a close_notify", ending).isNotNull();
        }
      }
      served.get(10, TimeUnit.SECONDS);
    }
  }
}
