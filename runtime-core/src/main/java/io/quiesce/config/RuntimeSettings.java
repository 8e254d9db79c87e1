package io.quiesce.config;

import java.time.Duration;

/**
 * The runtime's settings as plain typed values, for code that should not depend on the
 * configuration machinery. See {@link RuntimeKeys} for what each one means.
 */
public record RuntimeSettings(
    String serviceName,
    String serviceVersion,
    String host,
    int port,
    Duration shutdownTimeout,
    Duration drainDelay,
    Duration drainTimeout,
    Duration idleGrace,
    Duration headerReadTimeout,
    Duration idleTimeout,
    Duration stopTimeout,
    Duration retryAfter,
    String logLevel,
    String logFormat,
    boolean metricsEnabled,
    String stateDir,
    String pidFile,
    String logFile) {

  /** Reads every runtime key; {@code config} must have been loaded with a schema containing {@link RuntimeKeys#SCHEMA}. */
  public static RuntimeSettings from(LoadedConfig config) {
    return new RuntimeSettings(
        config.get(RuntimeKeys.SERVICE_NAME),
        config.get(RuntimeKeys.SERVICE_VERSION),
        config.get(RuntimeKeys.SERVER_HOST),
        config.get(RuntimeKeys.SERVER_PORT),
        config.get(RuntimeKeys.SERVER_SHUTDOWN_TIMEOUT),
        config.get(RuntimeKeys.SERVER_DRAIN_DELAY),
        config.get(RuntimeKeys.SERVER_DRAIN_TIMEOUT),
        config.get(RuntimeKeys.SERVER_IDLE_GRACE),
        config.get(RuntimeKeys.SERVER_HEADER_READ_TIMEOUT),
        config.get(RuntimeKeys.SERVER_IDLE_TIMEOUT),
        config.get(RuntimeKeys.SERVER_STOP_TIMEOUT),
        config.get(RuntimeKeys.SERVER_RETRY_AFTER),
        config.get(RuntimeKeys.LOG_LEVEL),
        config.get(RuntimeKeys.LOG_FORMAT),
        config.get(RuntimeKeys.METRICS_ENABLED),
        config.get(RuntimeKeys.PROCESS_STATE_DIR),
        config.get(RuntimeKeys.PROCESS_PID_FILE),
        config.get(RuntimeKeys.PROCESS_LOG_FILE));
  }
}
