package io.quiesce.logging;

import java.io.PrintStream;
import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jContextFactory;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.ExtendedLogger;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.spi.LoggerRegistry;

/**
 * The one logger context of {@link TextLoggerContextFactory}: the text format on standard output,
 * written without log4j-core, until {@link #handOver} gives every logger to a log4j-core context.
 */
final class TextLoggerContext implements LoggerContext {

  private static final MessageFactory DEFAULT_MESSAGE_FACTORY = PlaceholderMessage.FACTORY;
  private static final String FQCN = TextLoggerContext.class.getName();

  private final LoggerRegistry<ExtendedLogger> loggers = new LoggerRegistry<>();
  private final Object writing = new Object();
  private volatile Level rootLevel = Level.INFO;
  private volatile Log4jContextFactory coreFactory;
  private volatile org.apache.logging.log4j.core.LoggerContext core;

  Level rootLevel() {
    return rootLevel;
  }

  /** log4j-core's context once handed over, else null. */
  org.apache.logging.log4j.core.LoggerContext core() {
    return core;
  }

  /** Sets the root level, here or, once handed over, in log4j-core's configuration. */
  synchronized void setRootLevel(Level level) {
    org.apache.logging.log4j.core.LoggerContext handedOver = core;
    if (handedOver != null) {
      setCoreRootLevel(handedOver, level);
    } else {
      rootLevel = level;
      refreshLoggers();
    }
  }

  /** Each logger keeps what it needs of this context's state in a field of its own. */
  private void refreshLoggers() {
    for (ExtendedLogger logger : loggers.getLoggers()) {
      ((TextLogger) logger).refresh();
    }
  }

  /**
   * From now on log4j-core writes every line, configured from {@code configuration} at the current
   * root level: the loggers already handed out pass their calls on to log4j-core's.
   */
  synchronized void handOver(URI configuration) {
    if (core != null) {
      core.setConfigLocation(configuration);
      return;
    }
    Log4jContextFactory factory = new Log4jContextFactory();
    org.apache.logging.log4j.core.LoggerContext context =
        factory.getContext(FQCN, null, null, false, configuration, null);
    setCoreRootLevel(context, rootLevel);
    coreFactory = factory;
    core = context;
    refreshLoggers();
  }

  /** Sets the root level of a log4j-core context, as log4j-core's {@code Configurator.setRootLevel} does for its own. */
  static void setCoreRootLevel(org.apache.logging.log4j.core.LoggerContext context, Level level) {
    LoggerConfig root = context.getConfiguration().getRootLogger();
    if (!root.getLevel().equals(level)) {
      root.setLevel(level);
      context.updateLoggers();
    }
  }

  /** Flushes standard output, or stops log4j-core once handed over. */
  void shutdown(String fqcn, ClassLoader loader, boolean currentContext, boolean allContexts) {
    Log4jContextFactory factory = coreFactory;
    if (factory != null) {
      factory.shutdown(fqcn, loader, currentContext, allContexts);
    }
    System.out.flush();
  }

  void write(Level level, String logger, Message message, Throwable thrown) {
    long now = System.currentTimeMillis();
    StringBuilder line = new StringBuilder(128);
    TextLine.write(line, Math.floorDiv(now, 1000), (int) Math.floorMod(now, 1000) * 1_000_000, level,
        Thread.currentThread().getName(), logger, message, thrown);
    synchronized (writing) {
      PrintStream out = System.out;
      out.append(line);
      out.flush();
    }
  }

  @Override
  public Object getExternalContext() {
    return null;
  }

  @Override
  public ExtendedLogger getLogger(String name) {
    return getLogger(name, DEFAULT_MESSAGE_FACTORY);
  }

  @Override
  public ExtendedLogger getLogger(String name, MessageFactory messageFactory) {
    MessageFactory effective = messageFactory != null ? messageFactory : DEFAULT_MESSAGE_FACTORY;
    ExtendedLogger logger = loggers.getLogger(name, effective);
    return logger != null ? logger : newLogger(name, effective);
  }

  /** Made and registered under the lock that level changes and the hand-over take, so none is missed. */
  private synchronized ExtendedLogger newLogger(String name, MessageFactory messageFactory) {
    loggers.putIfAbsent(name, messageFactory, new TextLogger(this, name, messageFactory));
    return loggers.getLogger(name, messageFactory);
  }

  @Override
  public LoggerRegistry<ExtendedLogger> getLoggerRegistry() {
    return loggers;
  }

  @Override
  public boolean hasLogger(String name) {
    return loggers.hasLogger(name, DEFAULT_MESSAGE_FACTORY);
  }

  @Override
  public boolean hasLogger(String name, Class<? extends MessageFactory> messageFactoryClass) {
    return loggers.hasLogger(name, messageFactoryClass);
  }

  @Override
  public boolean hasLogger(String name, MessageFactory messageFactory) {
    return loggers.hasLogger(name, messageFactory != null ? messageFactory : DEFAULT_MESSAGE_FACTORY);
  }
}
