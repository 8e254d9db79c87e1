package io.quiesce.cli;

import io.quiesce.config.ConfigRequest;
import io.quiesce.config.LoadedConfig;

/** What the command line needs from the application it drives. */
public interface Launchable {

  /**
   * Loads and validates the configuration, blocking the calling thread (never an event loop).
   *
   * @throws io.quiesce.config.ConfigException listing every problem found
   */
  LoadedConfig loadConfig(ConfigRequest request) throws Exception;

  /** Runs in the foreground until stopped and returns the process exit code. */
  int runForeground(ConfigRequest request);
}
