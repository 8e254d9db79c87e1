package io.quiesce.tls;

import static io.quiesce.config.RuntimeKeys.NONE;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_CERT_FILE;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_ENABLED;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_KEYSTORE_FILE;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_KEYSTORE_PASSWORD_ENV;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_KEYSTORE_PASSWORD_FILE;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_KEY_FILE;
import static io.quiesce.config.RuntimeKeys.SERVER_TLS_SELF_SIGNED;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigKey;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeSettings;
import io.quiesce.process.StateFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP server serves TLS with, from the {@code server.tls.*} keys: off, or a private key
 * and certificate chain that have been read and checked already. Everything that can be wrong with
 * them — a missing, unreadable or malformed file, a key that does not match its certificate, a
 * wrong keystore password, a password variable that is not set — is a {@link ConfigException}
 * naming the key and the file, thrown before anything binds (exit code 2).
 *
 * <p>Passwords are never part of the configuration: it names the variable or the file that holds
 * one. The password is kept in the Vert.x options only; {@link #description()} and
 * {@link #warnings()}, the only text this class gives out, never contain it. Immutable.
 */
public final class TlsSettings {

  /** Plain HTTP. */
  public static final TlsSettings OFF = new TlsSettings(null, null, List.of());

  private final KeyCertOptions keyCert;
  private final String description;
  private final List<String> warnings;

  private TlsSettings(KeyCertOptions keyCert, String description, List<String> warnings) {
    this.keyCert = keyCert;
    this.description = description;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads and checks the key material {@code config} names. Blocks: it reads files and, with
   * {@code server.tls.self_signed} the first time, runs keytool (a second or two); call it from a
   * worker thread, never an event loop.
   *
   * @param env where {@code server.tls.keystore_password_env} is looked up (the process environment)
   * @param vertx used to parse the key material exactly as the server will
   * @throws ConfigException listing every problem, each naming its key and file
   */
  public static TlsSettings load(LoadedConfig config, Map<String, String> env, Vertx vertx) {
    if (!config.get(SERVER_TLS_ENABLED)) {
      return OFF;
    }
    return new Loader(config, env, vertx).load();
  }

  public boolean enabled() {
    return keyCert != null;
  }

  /** {@code https} or {@code http}, for the URLs the runtime prints and announces. */
  public String scheme() {
    return enabled() ? "https" : "http";
  }

  /** {@code options} serving TLS with the checked key material when on; unchanged when off. ALPN is left as it is. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return enabled() ? options.setSsl(true).setKeyCertOptions(keyCert.copy()) : options;
  }

  /** One line for the log at start: which certificate, from which file, its SHA-256 fingerprint; never a password. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** Things that do not stop the start but will trouble clients, such as an expired certificate. */
  public List<String> warnings() {
    return warnings;
  }

  /** SHA-256 of the certificate's DER encoding, as colon-separated upper-case hex: what browsers and openssl show. */
  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One load: collects every problem before giving up, like the configuration loader. */
  private static final class Loader {

    private final LoadedConfig config;
    private final Map<String, String> env;
    private final Vertx vertx;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Loader(LoadedConfig config, Map<String, String> env, Vertx vertx) {
      this.config = config;
      this.env = env;
      this.vertx = vertx;
    }

    TlsSettings load() {
      boolean pem = given(SERVER_TLS_CERT_FILE) || given(SERVER_TLS_KEY_FILE);
      boolean keystore = given(SERVER_TLS_KEYSTORE_FILE);
      boolean selfSigned = config.get(SERVER_TLS_SELF_SIGNED);
      TlsSettings settings = null;
      if (!pem && !keystore && !selfSigned) {
        problem(SERVER_TLS_ENABLED, "needs a certificate: server.tls.cert_file and server.tls.key_file (PEM), "
            + "server.tls.keystore_file (PKCS#12), or server.tls.self_signed=true for development");
      } else if (pem && keystore) {
        problem(SERVER_TLS_KEYSTORE_FILE, "give PEM files (server.tls.cert_file, server.tls.key_file) or a keystore, not both");
      } else if (selfSigned && (pem || keystore)) {
        problem(SERVER_TLS_SELF_SIGNED, "a generated certificate and a given one ("
            + (pem ? "server.tls.cert_file" : "server.tls.keystore_file") + ") exclude each other; set one");
      } else if (pem) {
        settings = pem();
      } else if (keystore) {
        settings = keystore();
      } else {
        settings = selfSigned();
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      return settings;
    }

    private TlsSettings pem() {
      if (!given(SERVER_TLS_CERT_FILE)) {
        problem(SERVER_TLS_CERT_FILE, "needed with server.tls.key_file: the PEM file of the certificate");
      }
      if (!given(SERVER_TLS_KEY_FILE)) {
        problem(SERVER_TLS_KEY_FILE, "needed with server.tls.cert_file: the PEM file of its private key");
      }
      if (!problems.isEmpty()) {
        return null;
      }
      Path cert = path(SERVER_TLS_CERT_FILE);
      Path key = path(SERVER_TLS_KEY_FILE);
      try {
        KeyMaterial material = KeyMaterial.pem(vertx, cert, key);
        return settings(material, "certificate " + subject(material) + " from " + cert.toAbsolutePath());
      } catch (KeyMaterial.FileProblem e) {
        fileProblem(e instanceof KeyMaterial.KeyFileProblem ? SERVER_TLS_KEY_FILE : SERVER_TLS_CERT_FILE, e);
        return null;
      }
    }

    private TlsSettings keystore() {
      Optional<Password> password = password();
      if (password.isEmpty()) {
        return null;
      }
      Path file = path(SERVER_TLS_KEYSTORE_FILE);
      try {
        KeyMaterial material = KeyMaterial.pkcs12(vertx, file, password.get().value(), password.get().source());
        return settings(material, "certificate " + subject(material) + " from the keystore " + file.toAbsolutePath());
      } catch (KeyMaterial.FileProblem e) {
        fileProblem(SERVER_TLS_KEYSTORE_FILE, e);
        return null;
      }
    }

    private TlsSettings selfSigned() {
      Path dir = StateFiles.from(RuntimeSettings.from(config)).dir().resolve("tls");
      SelfSignedCertificate.Stored stored;
      try {
        stored = SelfSignedCertificate.ensure(dir, Clock.systemUTC());
      } catch (IOException e) {
        problem(SERVER_TLS_SELF_SIGNED, "cannot generate a certificate in " + dir + ": " + e.getMessage());
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem(SERVER_TLS_SELF_SIGNED, "interrupted while generating a certificate in " + dir);
        return null;
      }
      try {
        KeyMaterial material = KeyMaterial.pkcs12(vertx, stored.keystore(), stored.password(),
            "from " + stored.passwordFile());
        String line = (stored.generated()
            ? "generated a self-signed certificate for localhost and 127.0.0.1 (" + stored.why() + "): "
            : "self-signed certificate for localhost and 127.0.0.1: ")
            + stored.certificate() + "; clients trust it with e.g. curl --cacert " + stored.certificate();
        return settings(material, line);
      } catch (KeyMaterial.FileProblem e) {
        fileProblem(SERVER_TLS_SELF_SIGNED, e);
        return null;
      }
    }

    /** A keystore password and where it came from (a variable's name or a file's path; never the password). */
    private record Password(String value, String source) {
    }

    private Optional<Password> password() {
      boolean fromEnv = given(SERVER_TLS_KEYSTORE_PASSWORD_ENV);
      boolean fromFile = given(SERVER_TLS_KEYSTORE_PASSWORD_FILE);
      if (fromEnv && fromFile) {
        problem(SERVER_TLS_KEYSTORE_PASSWORD_FILE, "give the password in one place: this or server.tls.keystore_password_env, not both");
        return Optional.empty();
      }
      if (!fromEnv && !fromFile) {
        problem(SERVER_TLS_KEYSTORE_FILE, "needs its password: server.tls.keystore_password_env (the name of a "
            + "variable that holds it) or server.tls.keystore_password_file");
        return Optional.empty();
      }
      if (fromEnv) {
        String name = config.get(SERVER_TLS_KEYSTORE_PASSWORD_ENV);
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
          problem(SERVER_TLS_KEYSTORE_PASSWORD_ENV, "the variable " + name + (value == null ? " is not set" : " is empty"));
          return Optional.empty();
        }
        return Optional.of(new Password(value, "from the variable " + name));
      }
      Path file = path(SERVER_TLS_KEYSTORE_PASSWORD_FILE);
      try {
        String value = withoutFinalNewline(new String(KeyMaterial.read(file), StandardCharsets.UTF_8));
        if (value.isEmpty()) {
          problem(SERVER_TLS_KEYSTORE_PASSWORD_FILE, file.toAbsolutePath() + ": is empty");
          return Optional.empty();
        }
        return Optional.of(new Password(value, "from " + file.toAbsolutePath()));
      } catch (KeyMaterial.FileProblem e) {
        fileProblem(SERVER_TLS_KEYSTORE_PASSWORD_FILE, e);
        return Optional.empty();
      }
    }

    private TlsSettings settings(KeyMaterial material, String source) {
      X509Certificate cert = material.certificate();
      List<String> warnings = new ArrayList<>();
      Instant now = Instant.now();
      if (now.isAfter(cert.getNotAfter().toInstant())) {
        warnings.add("TLS certificate " + subject(material) + " expired on " + cert.getNotAfter().toInstant()
            + "; clients will refuse it");
      } else if (now.isBefore(cert.getNotBefore().toInstant())) {
        warnings.add("TLS certificate " + subject(material) + " is valid only from " + cert.getNotBefore().toInstant()
            + "; clients will refuse it until then");
      }
      String line = "TLS on: " + source + " (SHA-256 " + fingerprint(cert) + ", valid until "
          + cert.getNotAfter().toInstant() + ")";
      return new TlsSettings(material.options(), line, warnings);
    }

    private static String subject(KeyMaterial material) {
      return material.certificate().getSubjectX500Principal().getName();
    }

    private static String withoutFinalNewline(String text) {
      if (text.endsWith("\r\n")) {
        return text.substring(0, text.length() - 2);
      }
      return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private boolean given(ConfigKey<String> key) {
      return !NONE.equals(config.get(key).toLowerCase(Locale.ROOT));
    }

    private Path path(ConfigKey<String> key) {
      return Path.of(config.get(key));
    }

    private void fileProblem(ConfigKey<?> key, KeyMaterial.FileProblem e) {
      problem(key, (e.file == null ? "" : e.file.toAbsolutePath() + ": ") + e.getMessage());
    }

    /** {@code server.tls.key_file = "key.pem" (file dev.yaml): /abs/key.pem: no such file} */
    private <T> void problem(ConfigKey<T> key, String reason) {
      String value = key.format(config.get(key));
      problems.add(new ConfigProblem(key.path(), value, config.origin(key),
          key.path() + " = \"" + value + "\" (" + config.origin(key) + "): " + reason));
    }
  }
}
