package io.quiesce.tls;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A private key and its certificate chain, read from files and checked the way the server will use
 * them: loaded through the same Vert.x options the server is given (from bytes read here, so what
 * was checked is what is served), then every key is made to sign and its certificate to verify.
 * A mismatched pair would otherwise load without complaint and fail only in each client's handshake.
 */
record KeyMaterial(KeyCertOptions options, X509Certificate certificate) {

  /** The key types the JDK's key managers are asked for; a key of another type is not served. */
  private static final List<String> KEY_TYPES = List.of("RSA", "EC", "EdDSA", "Ed25519", "Ed448", "RSASSA-PSS", "DSA");

  /**
   * A PEM certificate file (certificate, then its intermediates) and an unencrypted PEM key file.
   *
   * @throws FileProblem naming which of the two files is at fault
   */
  static KeyMaterial pem(Vertx vertx, Path certFile, Path keyFile) throws FileProblem {
    byte[] cert = read(certFile);
    byte[] key;
    try {
      key = read(keyFile);
    } catch (FileProblem e) {
      throw new KeyFileProblem(keyFile, e.getMessage());
    }
    List<X509Certificate> chain;
    try {
      chain = certificates(cert);
    } catch (CertificateException e) {
      throw new FileProblem(certFile, "not a PEM certificate: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new FileProblem(certFile, "no certificate in it (expected -----BEGIN CERTIFICATE-----)");
    }
    PemKeyCertOptions options = new PemKeyCertOptions().addCertValue(Buffer.buffer(cert)).addKeyValue(Buffer.buffer(key));
    try {
      options.loadKeyStore(vertx);
    } catch (Exception e) {
      String text = new String(key, StandardCharsets.US_ASCII);
      throw new KeyFileProblem(keyFile, text.contains("ENCRYPTED PRIVATE KEY")
          ? "the key is encrypted; give it unencrypted (openssl pkey -in KEY -out KEY.pem) or use a PKCS#12 keystore"
          : "not a PEM private key: " + reason(e));
    }
    try {
      return checked(vertx, options, keyFile, "the private key does not match the certificate in " + certFile.toAbsolutePath());
    } catch (FileProblem e) {
      throw new KeyFileProblem(keyFile, e.getMessage());
    }
  }

  /**
   * A PKCS#12 keystore whose entries are protected by {@code password}.
   *
   * @param passwordSource where the password came from, for the message when it is wrong
   */
  static KeyMaterial pkcs12(Vertx vertx, Path file, String password, String passwordSource)
      throws FileProblem {
    byte[] bytes = read(file);
    try {
      KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(bytes), password.toCharArray());
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new FileProblem(file, "wrong keystore password (" + passwordSource + ")");
      }
      throw new FileProblem(file, "not a PKCS#12 keystore: " + reason(e));
    } catch (GeneralSecurityException e) {
      throw new FileProblem(file, "not a usable PKCS#12 keystore: " + reason(e));
    }
    PfxOptions options = new PfxOptions().setValue(Buffer.buffer(bytes)).setPassword(password);
    try {
      options.loadKeyStore(vertx);
    } catch (Exception e) {
      throw new FileProblem(file, e instanceof UnrecoverableKeyException || e.getCause() instanceof UnrecoverableKeyException
          ? "a private key in it has a password other than the keystore's (" + passwordSource + ")"
          : "cannot use the keystore: " + reason(e));
    }
    return checked(vertx, options, file, "a private key in it does not match its certificate");
  }

  /** A file that cannot be used as given; the caller names the key it came from. */
  static class FileProblem extends Exception {
    final Path file;

    FileProblem(Path file, String reason) {
      super(reason);
      this.file = file;
    }
  }

  /** Of a PEM pair, the key file is at fault (the two may even be one file). */
  static final class KeyFileProblem extends FileProblem {
    KeyFileProblem(Path file, String reason) {
      super(file, reason);
    }
  }

  private static KeyMaterial checked(Vertx vertx, KeyCertOptions options, Path file, String mismatch)
      throws FileProblem {
    X509KeyManager manager;
    try {
      manager = keyManager(options.getKeyManagerFactory(vertx).getKeyManagers());
    } catch (FileProblem e) {
      throw new FileProblem(file, e.getMessage());
    } catch (Exception e) {
      throw new FileProblem(file, "cannot use the key: " + reason(e));
    }
    Set<String> aliases = new LinkedHashSet<>();
    for (String type : KEY_TYPES) {
      String[] found = manager.getServerAliases(type, null);
      if (found != null) {
        aliases.addAll(List.of(found));
      }
    }
    X509Certificate first = null;
    for (String alias : aliases) {
      X509Certificate[] chain = manager.getCertificateChain(alias);
      PrivateKey key = manager.getPrivateKey(alias);
      if (chain == null || chain.length == 0 || key == null) {
        continue;
      }
      if (!signsFor(key, chain[0])) {
        throw new FileProblem(file, mismatch);
      }
      first = first == null ? chain[0] : first;
    }
    if (first == null) {
      throw new FileProblem(file, "no private key with its certificate in it");
    }
    return new KeyMaterial(options, first);
  }

  private static X509KeyManager keyManager(KeyManager[] managers) throws FileProblem {
    for (KeyManager m : managers) {
      if (m instanceof X509KeyManager x509) {
        return x509;
      }
    }
    throw new FileProblem(null, "no X.509 key manager");
  }

  /** Whether a signature made with {@code key} verifies with the certificate's public key. */
  private static boolean signsFor(PrivateKey key, X509Certificate certificate) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
      default -> null;
    };
    if (algorithm == null) {
      return certificate.getPublicKey().getAlgorithm().equals(key.getAlgorithm()); // cannot check further
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC key with an RSA certificate: the verifier refuses the key
    }
  }

  static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
    Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem));
    return all.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
  }

  /** The whole file, or a problem that says in plain words why not. */
  static byte[] read(Path file) throws FileProblem {
    if (Files.isDirectory(file)) {
      throw new FileProblem(file, "is a directory, not a file");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FileProblem(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new FileProblem(file, "cannot read it: permission denied");
    } catch (IOException e) {
      throw new FileProblem(file, "cannot read it: " + e.getMessage());
    }
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.strip();
  }
}
