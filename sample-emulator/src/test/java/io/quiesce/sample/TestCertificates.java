package io.quiesce.sample;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key material for TLS tests, made with the JDK's keytool (as a user would) in a test's directory:
 * a PKCS#12 keystore for localhost/127.0.0.1, the same certificate and key as PEM files, and a
 * second, unrelated PEM key that matches nothing.
 */
record TestCertificates(Path keystore, String password, Path certPem, Path keyPem, Path otherKeyPem) {

  /** Not a real secret, but distinctive: a test looks for it in everything the emulator shows. */
  static final String PASSWORD = "pw-" + Long.toHexString(System.nanoTime()) + "-never-shown";

  static TestCertificates create(Path dir) throws Exception {
    Path keystore = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
        "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    Certificate certificate = store.getCertificate("server");
    PrivateKey key = (PrivateKey) store.getKey("server", PASSWORD.toCharArray());
    Path certPem = Files.write(dir.resolve("server.crt"), pem("CERTIFICATE", certificate.getEncoded()));
    Path keyPem = Files.write(dir.resolve("server.key"), pem("PRIVATE KEY", key.getEncoded()));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    Path otherKeyPem = Files.write(dir.resolve("other.key"), pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()));
    return new TestCertificates(keystore, PASSWORD, certPem, keyPem, otherKeyPem);
  }

  static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Sockets that trust exactly the certificates in {@code pemFile} (and check the host name against them). */
  static SSLSocketFactory trusting(Path pemFile) throws Exception {
    return trustingContext(pemFile).getSocketFactory();
  }

  /** A client context that trusts exactly the certificates in {@code pemFile}. */
  static SSLContext trustingContext(Path pemFile) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    int i = 0;
    for (Certificate c : CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pemFile)))) {
      trusted.setCertificateEntry("trusted-" + i++, c);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  static String fingerprint(Certificate certificate) throws Exception {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }

  static List<X509Certificate> certificates(Path pemFile) throws Exception {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pemFile)))
        .stream().map(X509Certificate.class::cast).toList();
  }
}
