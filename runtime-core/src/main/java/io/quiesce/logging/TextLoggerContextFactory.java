package io.quiesce.logging;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerContextFactory;
import org.apache.logging.log4j.util.LoaderUtil;
import org.apache.logging.log4j.util.PropertiesUtil;

/**
 * log4j's logger context factory under {@link TextLogProvider}. Without a log4j configuration file
 * it writes the text format itself ({@link TextLoggerContext}) and log4j-core is never started:
 * log4j-core's start (its plugin registry, three configurations each instantiating every lookup
 * plugin) was about 45 ms of every start of the sample emulator, more than anything else in it.
 * With a configuration file ({@code -Dlog4j2.configurationFile}, {@code LOG4J_CONFIGURATION_FILE},
 * a {@code log4j2.*} or {@code log4j2-test.*} on the class path; {@link #userConfiguration()}) it
 * hands out log4j-core's contexts and only {@link LogSettings}' level changes pass through it
 * (log4j-core's {@code Configurator} requires log4j-core's own factory); {@code log.format=json}
 * then leaves the file's configuration alone. Without one, {@code log.format=json} hands the text
 * context over to log4j-core.
 */
public final class TextLoggerContextFactory implements LoggerContextFactory {

  private static final String[] PREFIXES = {"log4j2-test", "log4j2"};
  private static final String[] SUFFIXES = {".properties", ".yml", ".yaml", ".json", ".jsn", ".xml"};
  private static final String FQCN = TextLoggerContextFactory.class.getName();

  private final String userFile; // the user's configuration file, or null
  private final Log4jContextFactory configured;
  private final TextLoggerContext text;

  /** Made by log4j's {@code LogManager} through {@link TextLogProvider}. */
  public TextLoggerContextFactory() {
    userFile = userConfiguration();
    configured = userFile != null ? new Log4jContextFactory() : null;
    text = userFile != null ? null : new TextLoggerContext();
  }

  /**
   * The log4j configuration file the user gave, as log4j itself looks for one: the property
   * {@code log4j2.configurationFile} (or {@code log4j.configurationFile}) from any of log4j's
   * property sources (system properties, the environment's {@code LOG4J_CONFIGURATION_FILE},
   * {@code log4j2.component.properties}), else a {@code log4j2.*} or {@code log4j2-test.*} on the
   * class path; null if there is none. The one check both the factory and {@link LogSettings} make.
   */
  static String userConfiguration() {
    PropertiesUtil properties = PropertiesUtil.getProperties();
    String file = properties.getStringProperty("log4j2.configurationFile");
    if (file == null) {
      file = properties.getStringProperty("log4j.configurationFile");
    }
    return file != null ? file : configurationFileOnClassPath(null);
  }

  /**
   * The configuration file of its own log4j finds on the class path, or null: log4j's search,
   * test files first, each named after the context ({@code contextName}, may be null) or not.
   */
  static String configurationFileOnClassPath(String contextName) {
    ClassLoader loader = LoaderUtil.getThreadContextClassLoader();
    for (String prefix : PREFIXES) {
      for (String suffix : SUFFIXES) {
        if (contextName != null && !contextName.isEmpty() && loader.getResource(prefix + contextName + suffix) != null) {
          return prefix + contextName + suffix;
        }
        if (loader.getResource(prefix + suffix) != null) {
          return prefix + suffix;
        }
      }
    }
    return null;
  }

  /** Sets the root level, of the text format or of log4j-core's configuration. */
  void setRootLevel(Level level) {
    if (text != null) {
      text.setRootLevel(level);
    } else {
      TextLoggerContext.setCoreRootLevel(coreContext(), level);
    }
  }

  /**
   * Hands the text format over to log4j-core, configured from {@code configuration}
   * ({@code log.format=json}). Only without a configuration of the user's, which {@link LogSettings}
   * asks first: a file's configuration is never replaced.
   */
  void reconfigure(URI configuration) {
    if (text == null) {
      throw new IllegalStateException("log4j is configured by " + userFile + ", which is kept");
    }
    text.handOver(configuration);
  }

  private org.apache.logging.log4j.core.LoggerContext coreContext() {
    return configured.getContext(FQCN, null, null, false);
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
