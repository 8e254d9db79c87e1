package io.quiesce.http.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The formatted messages one logger writes while a test runs (at the levels the root level lets
 * through). Attach after the runtime started (startup may reconfigure log4j), {@link #close()} in
 * {@code @AfterEach}.
 */
public final class CapturedLog implements AutoCloseable {

  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final AbstractAppender appender;

  private CapturedLog(Class<?> source) {
    this.logger = (Logger) LogManager.getLogger(source);
    this.appender = new AbstractAppender("captured-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
      }
    };
    appender.start();
    logger.addAppender(appender);
  }

  public static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  /** Every line so far, as {@code LEVEL message}. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  public boolean contains(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
