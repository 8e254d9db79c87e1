package io.quiesce.logging;

import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Applies {@code log.format} and {@code log.level} to log4j2. The text format is written by
 * {@link TextLoggerContextFactory} (or, under log4j-core's own provider, {@link TextLogConfiguration})
 * unless log4j is given a configuration file; json switches to
 * {@code quiesce-log4j2-json.xml}: the same loggers, one JSON object per line in the Elastic Common
 * Schema, with each event's fields (lifecycle transitions, shutdown steps) as top-level keys. A log4j
 * configuration file the user gave (see {@link TextLoggerContextFactory#userConfiguration()}: a
 * system property, {@code LOG4J_CONFIGURATION_FILE}, or a file on the class path) is left alone.
 */
public final class LogSettings {

  private static final Logger LOG = LogManager.getLogger(LogSettings.class);
  static final String JSON_CONFIGURATION = "quiesce-log4j2-json.xml";

  private LogSettings() {}

  /** Sets the format (text or json) and the root level (trace … error). */
  public static void apply(String format, String level) {
    if ("json".equals(format)) {
      String userConfiguration = TextLoggerContextFactory.userConfiguration();
      if (userConfiguration != null) {
        LOG.warn("log.format=json ignored: log4j is configured by {}", userConfiguration);
      } else {
        URL json = LogSettings.class.getClassLoader().getResource(JSON_CONFIGURATION);
        try {
          if (LogManager.getFactory() instanceof TextLoggerContextFactory factory) {
            factory.reconfigure(json.toURI());
          } else {
            Configurator.reconfigure(json.toURI());
          }
        } catch (URISyntaxException | NullPointerException e) {
          LOG.warn("log.format=json unavailable ({}); keeping text", e.toString());
        }
      }
    }
    setLevel(level);
  }

  /** Sets the root level; what SIGHUP reloads. */
  public static void setLevel(String level) {
    if (LogManager.getFactory() instanceof TextLoggerContextFactory factory) {
      factory.setRootLevel(level(level));
    } else {
      Configurator.setRootLevel(level(level));
    }
  }

  /**
   * Moves the root level from {@code from} to {@code to} and logs {@code message} through
   * {@code log} so that it is shown whichever way the level moved: it is written while the more
   * verbose of the two levels is in force (before switching to a quieter level, after switching
   * to a louder one), at INFO — or, when neither level shows INFO ({@code warn} and
   * {@code error}), at the more verbose of the two, so the confirmation is never swallowed.
   */
  public static void changeLevel(String from, String to, Logger log, String message, Object... params) {
    Level before = level(from);
    Level after = level(to);
    Level louder = before.isLessSpecificThan(after) ? before : after;
    Level at = louder.isLessSpecificThan(Level.INFO) ? Level.INFO : louder;
    if (louder == before) {
      log.log(at, message, params);
      setLevel(to);
    } else {
      setLevel(to);
      log.log(at, message, params);
    }
  }

  private static Level level(String name) {
    return Level.valueOf(name.toUpperCase(Locale.ROOT));
  }
}
