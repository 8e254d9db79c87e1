package io.quiesce.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;
import org.apache.logging.log4j.core.layout.ByteBufferDestination;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * The text format's line, {@value TextLogConfiguration#PATTERN} in log4j's pattern language,
 * written by hand: a {@code PatternLayout} parses its pattern through log4j's plugin registry and
 * reads each converter's annotations (a proxy class per annotation type, made at every start; no
 * start-up cache keeps one), about 10 ms of every start for one fixed line. Like
 * {@code PatternLayout} it allocates nothing for a line without a stack trace: the line is built in
 * log4j's per-thread {@link StringBuilder} and encoded straight into the appender's buffer.
 */
final class TextLayout extends AbstractStringLayout {

  private static final String NEWLINE = System.lineSeparator();
  private static final long SECONDS_PER_DAY = 86_400;

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

  /** {@code 2026-11-26T11:30:49.103Z INFO  [thread] Logger - message}, a new line, the stack trace if any. */
  static void format(LogEvent event, StringBuilder line) {
    timestamp(event.getInstant(), line);
    line.append(' ');
    String level = event.getLevel().name();
    line.append(level);
    for (int pad = level.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(" [").append(event.getThreadName()).append("] ");
    String logger = event.getLoggerName();
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
    Message message = event.getMessage();
    if (message instanceof StringBuilderFormattable formattable) {
      formattable.formatTo(line);
    } else if (message != null) {
      line.append(message.getFormattedMessage());
    }
    line.append(NEWLINE);
    Throwable thrown = event.getThrown();
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line.append(trace.getBuffer());
    }
  }

  /** The instant in UTC to the millisecond, ISO 8601 with a {@code Z}; the civil date computed, not allocated. */
  static void timestamp(Instant instant, StringBuilder line) {
    long epochSecond = instant.getEpochSecond();
    int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
    // Days since 1970-01-01 to year, month, day: H. Hinnant's days_from_civil, inverted.
    long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY) + 719_468;
    long era = Math.floorDiv(days, 146_097);
    long dayOfEra = days - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
    int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    line.append(year).append('-');
    twoDigits(month, line);
    line.append('-');
    twoDigits(day, line);
    line.append('T');
    twoDigits(secondOfDay / 3600, line);
    line.append(':');
    twoDigits(secondOfDay / 60 % 60, line);
    line.append(':');
    twoDigits(secondOfDay % 60, line);
    int millis = instant.getNanoOfSecond() / 1_000_000;
    line.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10)).append('Z');
  }

  private static void twoDigits(int value, StringBuilder line) {
    line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
