package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from the real process: the development certificate kept across restarts, and passwords never shown. */
class TlsProcessTest {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(30);

  @Test
  void theSelfSignedCertificateIsGeneratedOnceAndReusedAfterARestart(@TempDir Path state) throws Exception {
    Path crt = state.resolve("tls").resolve("localhost.crt");
    EmulatorLauncher selfSigned = EmulatorLauncher.of(SampleEmulator.class)
        .set("process.state_dir=" + state, "server.tls.enabled=true", "server.tls.self_signed=true");
    String firstFingerprint;
    try (EmulatorProcess emulator = selfSigned.startProcess()) {
      int port = emulator.awaitReady(READY);
      String password = Files.readString(state.resolve("tls").resolve("localhost.p12.password"));
      assertThat(emulator.output()).contains("listening on https://127.0.0.1:" + port)
          .contains("generated a self-signed certificate for localhost and 127.0.0.1 (none was there): " + crt)
          .contains("curl --cacert " + crt)
          .doesNotContain(password);
      assertThat(Files.getPosixFilePermissions(state.resolve("tls").resolve("localhost.p12")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.getPosixFilePermissions(state.resolve("tls").resolve("localhost.p12.password")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));

      // Trusting only the logged file, with the host name checked (ip:127.0.0.1 is in the certificate).
      TlsExchange health = TlsExchange.get(TestCertificates.trusting(crt), port, "/_quiesce/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).doesNotContain(password);
      firstFingerprint = TestCertificates.fingerprint(health.serverCertificate());
      assertThat(firstFingerprint).isEqualTo(TestCertificates.fingerprint(TestCertificates.certificates(crt).get(0)));
      assertThat(emulator.output()).contains("SHA-256 " + firstFingerprint);

      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(EXIT)).as(emulator.output()).isZero();
    }
    try (EmulatorProcess emulator = selfSigned.startProcess()) {
      int port = emulator.awaitReady(READY);
      assertThat(emulator.output()).contains("self-signed certificate for localhost and 127.0.0.1: " + crt)
          .doesNotContain("generated a self-signed certificate");
      TlsExchange ready = TlsExchange.get(TestCertificates.trusting(crt), port, "/_quiesce/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(TestCertificates.fingerprint(ready.serverCertificate())).isEqualTo(firstFingerprint);
      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(EXIT)).as(emulator.output()).isZero();
    }
  }

  @Test
  void theKeystorePasswordIsInNoOutputNoPrintConfigAndNoHealthAnswer(@TempDir Path dir) throws Exception {
    TestCertificates certs = TestCertificates.create(dir);
    Map<String, String> env = Map.of("KS_PASS", certs.password());
    try (EmulatorProcess printed = EmulatorLauncher.of(SampleEmulator.class).env(env).set("server.tls.enabled=true",
        "server.tls.keystore_file=" + certs.keystore(), "server.tls.keystore_password_env=KS_PASS").startProcess("--print-config")) {
      assertThat(printed.awaitExit(EXIT)).isZero();
      assertThat(printed.output()).containsPattern("server.tls.keystore_password_env = KS_PASS +\\(--set")
          .contains("server.tls.keystore_file = " + certs.keystore()).doesNotContain(certs.password());
    }

    Path passwordFile = Files.writeString(dir.resolve("keystore-password"), certs.password() + "\n");
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).env(env).set("process.state_dir=" + dir,
        "server.tls.enabled=true", "server.tls.keystore_file=" + certs.keystore(),
        "server.tls.keystore_password_file=" + passwordFile).startProcess()) {
      int port = emulator.awaitReady(READY);
      assertThat(emulator.output()).contains("TLS on: certificate CN=localhost from the keystore " + certs.keystore());
      SSLSocketFactory trusting = TestCertificates.trusting(certs.certPem());
      for (String path : List.of("/_quiesce/health", "/_quiesce/health/live", "/_quiesce/health/ready", "/_quiesce/metrics")) {
        TlsExchange answer = TlsExchange.get(trusting, port, path);
        assertThat(answer.status()).as(path).isEqualTo(200);
        assertThat(answer.body()).as(path).doesNotContain(certs.password());
      }
      emulator.signal(Signal.TERM);
      assertThat(emulator.awaitExit(EXIT)).isZero();
      assertThat(emulator.output()).doesNotContain(certs.password());
    }
  }
}
