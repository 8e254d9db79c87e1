package io.quiesce.http.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The formatted messages one logger writes while a test runs (at the levels the root level lets
 * through). Attach after the runtime started (startup may reconfigure log4j), {@link #close()} in
 * {@code @AfterEach}.
 */
public final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final boolean atRoot;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;

  private CapturedLog(Class<?> source, boolean atRoot) {
    this.logger = (Logger) LogManager.getLogger(source == null ? CapturedLog.class : source);
    this.atRoot = atRoot;
    String name = source == null ? null : logger.getName();
    this.appender = new AbstractAppender("captured-" + (source == null ? "all" : source.getSimpleName()), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        if (name == null || name.equals(event.getLoggerName())) {
          lines.add(event.getLevel() + " " + (name == null ? event.getLoggerName() + ": " : "")
              + event.getMessage().getFormattedMessage() + (event.getThrown() == null ? "" : " " + event.getThrown()));
        }
      }
    };
    appender.start();
    if (atRoot) {
      LoggerContext context = logger.getContext();
      context.getConfiguration().getRootLogger().addAppender(appender, null, null);
      context.updateLoggers();
    } else {
      logger.addAppender(appender);
    }
  }

  /**
   * Captures at the logger itself. Its level is then fixed at what it is now (log4j gives the
   * logger a configuration of its own): use {@link #throughRoot} to see root level changes.
   */
  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source, false);
  }

  /** Captures what {@code source} writes through the root logger: exactly what the root level lets through. */
  public static CapturedLog throughRoot(Class<?> source) {
    return new CapturedLog(source, true);
  }

  /** Captures what every logger writes through the root logger (Vert.x's and Netty's included). */
  public static CapturedLog everything() {
    return new CapturedLog(null, true);
  }

  /** Every line so far, as {@code LEVEL message} ({@code LEVEL logger: message} from {@link #everything()}), with its exception if any. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  public boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  @Override
  public void close() {
    if (atRoot) {
      logger.getContext().getConfiguration().getRootLogger().removeAppender(appender.getName());
      logger.getContext().updateLoggers();
    } else {
      logger.removeAppender(appender);
    }
    appender.stop();
  }
}
