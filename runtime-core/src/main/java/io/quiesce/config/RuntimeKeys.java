package io.quiesce.config;

import java.time.Duration;
import java.util.List;

/**
 * The keys every Quiesce runtime understands. An emulator extends {@link #SCHEMA} with
 * {@link ConfigSchema#plus} and reads these through {@link RuntimeSettings}.
 */
public final class RuntimeKeys {

  public static final ConfigKey<String> SERVICE_NAME = ConfigKey.string("service.name", "quiesce",
      "name reported in /_quiesce/health and in logs");

  public static final ConfigKey<String> SERVICE_VERSION = ConfigKey.string("service.version", "0.0.0",
      "version reported in /_quiesce/health and in logs");

  public static final ConfigKey<String> SERVER_HOST = ConfigKey.string("server.host", "127.0.0.1",
      "address the HTTP server binds to");

  public static final ConfigKey<Integer> SERVER_PORT = ConfigKey.integer("server.port", 8080, 0, 65535,
      "HTTP port; 0 picks any free port");

  public static final ConfigKey<Duration> SERVER_SHUTDOWN_TIMEOUT = ConfigKey.duration("server.shutdown_timeout",
      Duration.ofSeconds(30), "whole shutdown budget, from the stop signal to exit");

  public static final ConfigKey<Duration> SERVER_DRAIN_DELAY = ConfigKey.duration("server.drain_delay",
      Duration.ZERO, "how long readiness reports 503 while requests are still served");

  public static final ConfigKey<Duration> SERVER_DRAIN_TIMEOUT = ConfigKey.duration("server.drain_timeout",
      Duration.ofSeconds(20), "longest wait for in-flight requests to finish");

  public static final ConfigKey<Duration> SERVER_IDLE_GRACE = ConfigKey.duration("server.idle_grace",
      Duration.ofSeconds(1), "during drain, an idle keep-alive connection is closed once idle this long");

  public static final ConfigKey<Duration> SERVER_STOP_TIMEOUT = ConfigKey.duration("server.stop_timeout",
      Duration.ofSeconds(10), "bound on each managed service's stop");

  public static final ConfigKey<Duration> SERVER_RETRY_AFTER = ConfigKey.duration("server.retry_after",
      Duration.ofSeconds(1), "Retry-After sent with 503 responses while draining");

  public static final ConfigKey<Boolean> SERVER_HEALTH_ALIASES = ConfigKey.bool("server.health_aliases", true,
      "also answer /health, /health/live and /health/ready at the root (exact paths only); false leaves the root to the emulator");

  public static final ConfigKey<Boolean> SERVER_HTTP2 = ConfigKey.bool("server.http2", true,
      "serve HTTP/2 too: cleartext with prior knowledge (h2c), and h2 through ALPN with TLS; HTTP/1.1 clients see no difference");

  /** The value of the {@code server.tls.*} file and variable keys that means "not given". */
  public static final String NONE = "none";

  public static final ConfigKey<Boolean> SERVER_TLS_ENABLED = ConfigKey.bool("server.tls.enabled", false,
      "serve HTTPS instead of HTTP (TLS 1.2 and 1.3); needs a certificate: PEM files, a PKCS#12 keystore or server.tls.self_signed");

  public static final ConfigKey<String> SERVER_TLS_CERT_FILE = ConfigKey.string("server.tls.cert_file", NONE,
      "PEM file of the server certificate, followed by its intermediate certificates; with server.tls.key_file");

  public static final ConfigKey<String> SERVER_TLS_KEY_FILE = ConfigKey.string("server.tls.key_file", NONE,
      "PEM file of the certificate's private key, unencrypted (PKCS#8, PKCS#1 RSA or SEC1 EC)");

  public static final ConfigKey<String> SERVER_TLS_KEYSTORE_FILE = ConfigKey.string("server.tls.keystore_file", NONE,
      "PKCS#12 keystore holding the private key and its certificate chain, instead of the PEM files");

  public static final ConfigKey<String> SERVER_TLS_KEYSTORE_PASSWORD_ENV = ConfigKey.string(
      "server.tls.keystore_password_env", NONE, "name of the environment variable holding the keystore password (never the password itself)");

  public static final ConfigKey<String> SERVER_TLS_KEYSTORE_PASSWORD_FILE = ConfigKey.string(
      "server.tls.keystore_password_file", NONE, "file holding the keystore password (one trailing newline is ignored)");

  public static final ConfigKey<Boolean> SERVER_TLS_SELF_SIGNED = ConfigKey.bool("server.tls.self_signed", false,
      "for development: a self-signed certificate for localhost and 127.0.0.1, generated once in process.state_dir/tls and reused");

  public static final ConfigKey<String> LOG_LEVEL = ConfigKey.choice("log.level", "info",
      List.of("trace", "debug", "info", "warn", "error"), "root log level");

  public static final ConfigKey<String> LOG_FORMAT = ConfigKey.choice("log.format", "text",
      List.of("text", "json"), "log line format: text for people, json (one JSON object per line) for collectors");

  public static final ConfigKey<Boolean> METRICS_ENABLED = ConfigKey.bool("metrics.enabled", true,
      "serve Prometheus metrics at /_quiesce/metrics");

  public static final ConfigKey<Boolean> METRICS_VERTX_HTTP = ConfigKey.bool("metrics.vertx_http", false,
      "also Vert.x's per-request HTTP server metrics (vertx_http_server_*); they allocate on every request");

  public static final ConfigKey<String> PROCESS_STATE_DIR = ConfigKey.string("process.state_dir", ".quiesce",
      "directory for the PID file, the log of a background instance and the last shutdown report");

  public static final ConfigKey<String> PROCESS_PID_FILE = ConfigKey.string("process.pid_file", "quiesce.pid",
      "PID file of a background instance; relative paths are inside process.state_dir");

  public static final ConfigKey<String> PROCESS_LOG_FILE = ConfigKey.string("process.log_file", "quiesce.log",
      "log file of a background instance; relative paths are inside process.state_dir");

  public static final ConfigKey<Duration> HEALTH_ERROR_WINDOW = ConfigKey.duration("health.error_window",
      Duration.ofMinutes(5), "sliding window over which the error rate is measured");

  public static final ConfigKey<Integer> HEALTH_ERROR_THRESHOLD = ConfigKey.integer("health.error_threshold", 10, 0, 100,
      "error rate in percent above which health is DEGRADED");

  public static final ConfigKey<Integer> HEALTH_ERROR_MIN_REQUESTS = ConfigKey.integer("health.error_min_requests", 20,
      0, Integer.MAX_VALUE, "fewer requests than this in the window never make health DEGRADED");

  public static final ConfigKey<Integer> HEALTH_HISTORY_SIZE = ConfigKey.integer("health.history_size", 20, 1, 1000,
      "checks kept per component in /_quiesce/health/history");

  public static final ConfigKey<String> SUPERVISION_RESTART = ConfigKey.choice("supervision.restart", "on-failure",
      List.of("never", "on-failure", "always"), "default restart policy of managed services");

  public static final ConfigKey<Integer> SUPERVISION_FAILURE_THRESHOLD = ConfigKey.integer("supervision.failure_threshold",
      3, 1, 1000, "consecutive failed checks before an on-failure restart");

  public static final ConfigKey<Duration> SUPERVISION_CHECK_INTERVAL = ConfigKey.duration("supervision.check_interval",
      Duration.ofSeconds(10), "time between health checks of each managed service (also a check's time limit)");

  public static final ConfigKey<Duration> SUPERVISION_BACKOFF_INITIAL = ConfigKey.duration("supervision.backoff_initial",
      Duration.ofSeconds(1), "delay before the first restart; doubles with each further one");

  public static final ConfigKey<Duration> SUPERVISION_BACKOFF_MAX = ConfigKey.duration("supervision.backoff_max",
      Duration.ofSeconds(30), "longest delay before a restart");

  public static final ConfigKey<Integer> SUPERVISION_START_LIMIT_BURST = ConfigKey.integer("supervision.start_limit_burst",
      5, 1, 1000, "restarts allowed within supervision.start_limit_interval; then the service stays down");

  public static final ConfigKey<Duration> SUPERVISION_START_LIMIT_INTERVAL = ConfigKey.duration(
      "supervision.start_limit_interval", Duration.ofMinutes(10), "window of the start limit");

  public static final ConfigKey<List<SupervisionOverride>> SUPERVISION_SERVICES = ConfigKey.supervisionOverrides(
      "supervision.services", "per-service restart policy, failure threshold and check interval: "
          + SupervisionOverride.FORM);

  /** The value of {@link #HOOKS_DIR} that means no hook folders (the default: folders are opt-in). */
  public static final String NO_HOOKS_DIR = "none";

  public static final ConfigKey<String> HOOKS_DIR = ConfigKey.string("hooks.dir", NO_HOOKS_DIR,
      "directory holding <event>.d/ folders of executable hooks; none (the default) for no hook folders");

  public static final ConfigKey<Duration> HOOKS_TIMEOUT = ConfigKey.duration("hooks.timeout", Duration.ofSeconds(30),
      "time limit of each hook; then SIGTERM");

  public static final ConfigKey<Duration> HOOKS_KILL_GRACE = ConfigKey.duration("hooks.kill_grace", Duration.ofSeconds(5),
      "time between a timed-out hook's SIGTERM and SIGKILL");

  public static final ConfigKey<Boolean> HOOKS_ON_START_REQUIRED = ConfigKey.bool("hooks.on_start_required", false,
      "a failed on_start hook fails startup");

  public static final ConfigKey<List<String>> HOOKS_ON_START = hookList("on_start", "before the managed services start");
  public static final ConfigKey<List<String>> HOOKS_ON_READY = hookList("on_ready", "once the runtime is RUNNING");
  public static final ConfigKey<List<String>> HOOKS_ON_DRAIN = hookList("on_drain", "when new requests start being refused");
  public static final ConfigKey<List<String>> HOOKS_ON_STOP = hookList("on_stop", "after drain, before services stop");
  public static final ConfigKey<List<String>> HOOKS_ON_RESTART = hookList("on_restart", "after a service was restarted");
  public static final ConfigKey<List<String>> HOOKS_ON_FAILURE = hookList("on_failure",
      "when a service fails, and when supervision gives up on it");
  public static final ConfigKey<List<String>> HOOKS_ON_HEALTHY = hookList("on_healthy", "when a failed service is healthy again");

  private static ConfigKey<List<String>> hookList(String event, String when) {
    return ConfigKey.stringList("hooks." + event, List.of(), "commands run " + when);
  }

  /** All runtime keys, in the order {@code --print-config} shows them. */
  public static final ConfigSchema SCHEMA = ConfigSchema.of(
      SERVICE_NAME, SERVICE_VERSION,
      SERVER_HOST, SERVER_PORT,
      SERVER_SHUTDOWN_TIMEOUT, SERVER_DRAIN_DELAY, SERVER_DRAIN_TIMEOUT, SERVER_IDLE_GRACE,
      SERVER_STOP_TIMEOUT, SERVER_RETRY_AFTER, SERVER_HEALTH_ALIASES, SERVER_HTTP2,
      SERVER_TLS_ENABLED, SERVER_TLS_CERT_FILE, SERVER_TLS_KEY_FILE, SERVER_TLS_KEYSTORE_FILE,
      SERVER_TLS_KEYSTORE_PASSWORD_ENV, SERVER_TLS_KEYSTORE_PASSWORD_FILE, SERVER_TLS_SELF_SIGNED,
      LOG_LEVEL, LOG_FORMAT,
      METRICS_ENABLED,
      METRICS_VERTX_HTTP,
      PROCESS_STATE_DIR, PROCESS_PID_FILE, PROCESS_LOG_FILE,
      HEALTH_ERROR_WINDOW, HEALTH_ERROR_THRESHOLD, HEALTH_ERROR_MIN_REQUESTS, HEALTH_HISTORY_SIZE,
      SUPERVISION_RESTART, SUPERVISION_FAILURE_THRESHOLD, SUPERVISION_CHECK_INTERVAL,
      SUPERVISION_BACKOFF_INITIAL, SUPERVISION_BACKOFF_MAX, SUPERVISION_START_LIMIT_BURST,
      SUPERVISION_START_LIMIT_INTERVAL, SUPERVISION_SERVICES,
      HOOKS_DIR, HOOKS_TIMEOUT, HOOKS_KILL_GRACE, HOOKS_ON_START_REQUIRED,
      HOOKS_ON_START, HOOKS_ON_READY, HOOKS_ON_DRAIN, HOOKS_ON_STOP, HOOKS_ON_RESTART, HOOKS_ON_FAILURE,
      HOOKS_ON_HEALTHY);

  private RuntimeKeys() {
  }
}
