package io.quiesce.config;

import java.time.Duration;
import java.util.List;

/**
 * The keys every Quiesce runtime understands. An emulator extends {@link #SCHEMA} with
 * {@link ConfigSchema#plus} and reads these through {@link RuntimeSettings}.
 */
public final class RuntimeKeys {

  public static final ConfigKey<String> SERVICE_NAME = ConfigKey.string("service.name", "quiesce",
      "name reported in /health and in logs");

  public static final ConfigKey<String> SERVICE_VERSION = ConfigKey.string("service.version", "0.0.0",
      "version reported in /health and in logs");

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

  public static final ConfigKey<String> LOG_LEVEL = ConfigKey.choice("log.level", "info",
      List.of("trace", "debug", "info", "warn", "error"), "root log level");

  public static final ConfigKey<String> LOG_FORMAT = ConfigKey.choice("log.format", "text",
      List.of("text", "json"), "log line format: text for people, json (one JSON object per line) for collectors");

  public static final ConfigKey<Boolean> METRICS_ENABLED = ConfigKey.bool("metrics.enabled", true,
      "serve Prometheus metrics at /metrics");

  public static final ConfigKey<String> PROCESS_STATE_DIR = ConfigKey.string("process.state_dir", ".quiesce",
      "directory for the PID file, the log of a background instance and the last shutdown report");

  public static final ConfigKey<String> PROCESS_PID_FILE = ConfigKey.string("process.pid_file", "quiesce.pid",
      "PID file of a background instance; relative paths are inside process.state_dir");

  public static final ConfigKey<String> PROCESS_LOG_FILE = ConfigKey.string("process.log_file", "quiesce.log",
      "log file of a background instance; relative paths are inside process.state_dir");

  /** All runtime keys, in the order {@code --print-config} shows them. */
  public static final ConfigSchema SCHEMA = ConfigSchema.of(
      SERVICE_NAME, SERVICE_VERSION,
      SERVER_HOST, SERVER_PORT,
      SERVER_SHUTDOWN_TIMEOUT, SERVER_DRAIN_DELAY, SERVER_DRAIN_TIMEOUT, SERVER_IDLE_GRACE,
      SERVER_STOP_TIMEOUT, SERVER_RETRY_AFTER,
      LOG_LEVEL, LOG_FORMAT,
      METRICS_ENABLED,
      PROCESS_STATE_DIR, PROCESS_PID_FILE, PROCESS_LOG_FILE);

  private RuntimeKeys() {
  }
}
