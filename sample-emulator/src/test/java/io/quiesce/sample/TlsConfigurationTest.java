package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS key material that cannot be served is a configuration error: the real process exits 2 before
 * anything binds, and the message names the key and the file, so the user knows what to fix.
 */
class TlsConfigurationTest {

  private static final Duration EXIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  private static TestCertificates certs;

  @BeforeAll
  static void keyMaterial() throws Exception {
    certs = TestCertificates.create(dir);
  }

  @Test
  void aMissingCertificateFileIsNamedWithItsKey() throws Exception {
    Path missing = dir.resolve("missing.crt");
    String output = refused(Map.of(), "server.tls.cert_file=" + missing, "server.tls.key_file=" + certs.keyPem());
    assertThat(output).contains("server.tls.cert_file = \"" + missing + "\" (--set server.tls.cert_file=" + missing + "): "
        + missing + ": no such file");
  }

  @Test
  void aKeyFileThatIsADirectoryIsNamedWithItsKey() throws Exception {
    String output = refused(Map.of(), "server.tls.cert_file=" + certs.certPem(), "server.tls.key_file=" + dir);
    assertThat(output).contains("server.tls.key_file = \"" + dir + "\"").contains(dir + ": is a directory, not a file");
  }

  @Test
  void aMalformedCertificateIsNamedWithItsKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "this is not a certificate\n");
    String output = refused(Map.of(), "server.tls.cert_file=" + garbage, "server.tls.key_file=" + certs.keyPem());
    assertThat(output).contains("server.tls.cert_file = \"" + garbage + "\"").contains(garbage + ": ")
        .containsPattern("garbage.crt: (no certificate in it|not a PEM certificate)");
  }

  @Test
  void aMalformedKeyIsNamedWithItsKey() throws Exception {
    // A certificate where the key should be: the commonest mix-up.
    String output = refused(Map.of(), "server.tls.cert_file=" + certs.certPem(), "server.tls.key_file=" + certs.certPem());
    assertThat(output).contains("server.tls.key_file = \"" + certs.certPem() + "\"")
        .contains(certs.certPem() + ": not a PEM private key");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
    String output = refused(Map.of(), "server.tls.cert_file=" + certs.certPem(), "server.tls.key_file=" + certs.otherKeyPem());
    assertThat(output).contains("server.tls.key_file = \"" + certs.otherKeyPem() + "\"")
        .contains(certs.otherKeyPem() + ": the private key does not match the certificate in " + certs.certPem());
  }

  @Test
  void aWrongKeystorePasswordNamesTheKeystoreAndWhereThePasswordCameFrom() throws Exception {
    String output = refused(Map.of("KS_PASS", "not-the-password"), "server.tls.keystore_file=" + certs.keystore(),
        "server.tls.keystore_password_env=KS_PASS");
    assertThat(output).contains("server.tls.keystore_file = \"" + certs.keystore() + "\"")
        .contains(certs.keystore() + ": wrong keystore password (from the variable KS_PASS)")
        .doesNotContain("not-the-password");
  }

  @Test
  void anUnsetPasswordVariableIsNamed() throws Exception {
    String output = refused(Map.of(), "server.tls.keystore_file=" + certs.keystore(), "server.tls.keystore_password_env=KS_PASS");
    assertThat(output).contains("server.tls.keystore_password_env = \"KS_PASS\" (--set server.tls.keystore_password_env=KS_PASS): "
        + "the variable KS_PASS is not set");
  }

  @Test
  void aMissingPasswordFileIsNamedWithItsKey() throws Exception {
    Path missing = dir.resolve("no-password.txt");
    String output = refused(Map.of(), "server.tls.keystore_file=" + certs.keystore(), "server.tls.keystore_password_file=" + missing);
    assertThat(output).contains("server.tls.keystore_password_file = \"" + missing + "\"").contains(missing + ": no such file");
  }

  @Test
  void aFileThatIsNoKeystoreIsNamedWithItsKey() throws Exception {
    Path password = Files.writeString(dir.resolve("password.txt"), certs.password() + "\n");
    String output = refused(Map.of(), "server.tls.keystore_file=" + certs.certPem(), "server.tls.keystore_password_file=" + password);
    assertThat(output).contains("server.tls.keystore_file = \"" + certs.certPem() + "\"")
        .contains(certs.certPem() + ": not a PKCS#12 keystore");
  }

  @Test
  void tlsOnWithoutAnyCertificateSaysWhatToGive() throws Exception {
    String output = refused(Map.of());
    assertThat(output).contains("server.tls.enabled = \"true\" (--set server.tls.enabled=true): needs a certificate");
  }

  /** Runs the emulator with TLS on and {@code settings}; asserts exit 2 before anything bound; returns its output. */
  private static String refused(Map<String, String> env, String... settings) throws Exception {
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).env(env)
        .set("process.state_dir=" + dir, "server.tls.enabled=true").set(settings).startProcess()) {
      int exit = emulator.awaitExit(EXIT);
      String output = emulator.output();
      assertThat(exit).as(output).isEqualTo(2);
      assertThat(output).contains("Invalid configuration (nothing was started):").doesNotContain("Ready.")
          .doesNotContain("HTTP listening").doesNotContain(certs.password());
      return output;
    }
  }
}
