package io.quiesce.logging;

import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.apache.logging.log4j.core.time.Instant;

/**
 * The text format as a log4j-core layout, for {@link TextLogConfiguration}: a {@code PatternLayout}
 * would parse {@value TextLine#PATTERN} through log4j's plugin registry and read each converter's
 * annotations (a proxy class per annotation type, made at every start; no start-up cache keeps
 * one), about 10 ms of a start for one fixed line. Like {@code PatternLayout} it allocates nothing
 * for a line without a stack trace: the line is built in log4j's per-thread {@link StringBuilder}
 * and encoded straight into the appender's buffer.
 */
final class TextLayout extends AbstractStringLayout {

  TextLayout(Configuration configuration) {
    super(configuration, StandardCharsets.UTF_8, null, null);
  }

  @Override
  public String toSerializable(LogEvent event) {
    StringBuilder line = getStringBuilder();
    format(event, line);
    String text = line.toString();
    trimToMaxSize(line);
    return text;
  }

  @Override
  public void encode(LogEvent event, ByteBufferDestination destination) {
    StringBuilder line = getStringBuilder();
    format(event, line);
    getStringBuilderEncoder().encode(line, destination);
    trimToMaxSize(line);
  }

  private static void format(LogEvent event, StringBuilder line) {
    Instant instant = event.getInstant();
    TextLine.write(line, instant.getEpochSecond(), instant.getNanoOfSecond(), event.getLevel(), event.getThreadName(),
        event.getLoggerName(), event.getMessage(), event.getThrown());
  }
}
