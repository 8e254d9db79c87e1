package io.quiesce.logging;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.status.StatusConfiguration;

/**
 * The runtime's default log4j configuration, the text format: one line per event on standard output,
 * {@value TextLine#PATTERN} in log4j's pattern language (written by {@link TextLayout}), at INFO
 * ({@code io.netty} and {@code com.hazelcast} at WARN). Made in code,
 * not read from a {@code log4j2.xml}: log4j builds a file's configuration by reflection over its
 * plugins' annotations (a proxy class generated per annotation type, which no start-up cache can
 * keep), which was the largest part of its initialisation and of every start. Registered in
 * {@code log4j2.component.properties}. It steps aside, and log4j goes on as usual, whenever log4j
 * is given a configuration: {@code -Dlog4j2.configurationFile}, a reconfiguration from a file
 * ({@code log.format=json}), or a {@code log4j2-test.*} or {@code log4j2.*} file on the class path.
 */
public final class TextLogConfiguration extends ConfigurationFactory {

  @Override
  protected String[] getSupportedTypes() {
    return new String[] {"*"}; // asked first, with or without a location
  }

  /** A configuration from a file is never this one's. */
  @Override
  public Configuration getConfiguration(LoggerContext context, ConfigurationSource source) {
    return null;
  }

  @Override
  public Configuration getConfiguration(LoggerContext context, String name, URI location) {
    return location == null && TextLoggerContextFactory.configurationFileOnClassPath(name) == null ? new Text(context) : null;
  }

  /** The configuration itself; log4j calls {@link #doConfigure()} when the context starts. */
  private static final class Text extends AbstractConfiguration {

    Text(LoggerContext context) {
      super(context, ConfigurationSource.NULL_SOURCE);
      setName("quiesce-text");
      // The runtime stops log4j itself, after its last line (see QuiesceApplication).
      isShutdownHookEnabled = false;
      new StatusConfiguration().withStatus(Level.WARN).initialize();
    }

    @Override
    protected void doConfigure() {
      // Standard output, as a Console appender's defaults; made without its builder, whose
      // validation reads annotations reflectively (the appender is then named DefaultConsole-N).
      Appender console = ConsoleAppender.createDefaultAppenderForLayout(new TextLayout(this));
      addAppender(console);
      LoggerConfig root = getRootLogger();
      root.setLevel(Level.INFO);
      root.addAppender(console, null, null);
      TextLine.FIXED_LEVELS.forEach((name, level) -> addLogger(name, new LoggerConfig(name, level, true)));
    }
  }
}
