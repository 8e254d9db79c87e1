package io.quiesce.logging;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * log4j's logger context factory under {@link TextLogProvider}. Without a log4j configuration file
 * it writes the text format itself ({@link TextLoggerContext}) and log4j-core is never started:
 * log4j-core's start (its plugin registry, three configurations each instantiating every lookup
 * plugin) was about 75 ms of every start of an emulator, more than anything else in it. With a
 * configuration file ({@code -Dlog4j2.configurationFile}, {@code LOG4J_CONFIGURATION_FILE}, a
 * {@code log4j2.*} or {@code log4j2-test.*} on the class path) it is log4j-core's factory, as if
 * this one were not there; and {@code log.format=json} hands the text context over to log4j-core
 * ({@link LogSettings}).
 */
public final class TextLoggerContextFactory implements LoggerContextFactory {

  private final Log4jContextFactory configured;
  private final TextLoggerContext text;

  /** Made by log4j's {@code LogManager} through {@link TextLogProvider}. */
  public TextLoggerContextFactory() {
    PropertiesUtil properties = PropertiesUtil.getProperties();
    boolean fileGiven = properties.getStringProperty("log4j2.configurationFile") != null
        || properties.getStringProperty("log4j.configurationFile") != null
        || TextLogConfiguration.configurationFileOnClassPath(null);
    configured = fileGiven ? new Log4jContextFactory() : null;
    text = fileGiven ? null : new TextLoggerContext();
  }

  /** True while this factory writes the text format itself (log4j-core not started). */
  boolean writesText() {
    return text != null && text.core() == null;
  }

  /** False when a configuration file was given: log4j-core then does everything. */
  boolean ownsTheContext() {
    return text != null;
  }

  /** The root level, when {@link #ownsTheContext()}. */
  void setRootLevel(Level level) {
    text.setRootLevel(level);
  }

  /** Hands every logger over to log4j-core configured from {@code configuration}, when {@link #writesText()}. */
  void handOver(URI configuration) {
    text.handOver(configuration);
  }

  @Override
  public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext) {
    return text != null ? text : configured.getContext(fqcn, loader, externalContext, currentContext);
  }

  @Override
  public LoggerContext getContext(String fqcn, ClassLoader loader, Object externalContext, boolean currentContext,
      URI configLocation, String name) {
    return text != null ? text
        : configured.getContext(fqcn, loader, externalContext, currentContext, configLocation, name);
  }

  @Override
  public void removeContext(LoggerContext context) {
    if (configured != null) {
      configured.removeContext(context);
    }
  }

  @Override
  public void shutdown(String fqcn, ClassLoader loader, boolean currentContext, boolean allContexts) {
    if (text != null) {
      text.shutdown(fqcn, loader, currentContext, allContexts);
    } else {
      configured.shutdown(fqcn, loader, currentContext, allContexts);
    }
  }

  @Override
  public boolean hasContext(String fqcn, ClassLoader loader, boolean currentContext) {
    return text != null || configured.hasContext(fqcn, loader, currentContext);
  }

  @Override
  public boolean isClassLoaderDependent() {
    return false;
  }
}
