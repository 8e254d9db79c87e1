package io.quiesce.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * The text format, {@value #PATTERN} in log4j's pattern language, written by hand, for both ways
 * it is written: {@link TextLogger} (the default, without log4j-core) and {@link TextLayout}
 * (log4j-core's, under {@link TextLogConfiguration}).
 */
final class TextLine {

  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}{UTC} %-5level [%t] %c{1} - %msg%n%throwable";
  /**
   * Loggers at a level of their own, which the root level ({@code log.level}) does not move:
   * Netty's and Hazelcast's INFO lines are advice and banners, and Vert.x's stay at INFO.
   */
  static final Map<String, Level> FIXED_LEVELS = Map.of("io.netty", Level.WARN, "io.vertx", Level.INFO,
      "com.hazelcast", Level.WARN);

  private static final String NEWLINE = System.lineSeparator();
  private static final long SECONDS_PER_DAY = 86_400;

  private TextLine() {}

  /** The level {@link #FIXED_LEVELS} gives the logger {@code name} (or one of its parents), else null. */
  static Level fixedLevel(String name) {
    for (String parent = name; ; ) {
      Level level = FIXED_LEVELS.get(parent);
      if (level != null) {
        return level;
      }
      int dot = parent.lastIndexOf('.');
      if (dot < 0) {
        return null;
      }
      parent = parent.substring(0, dot);
    }
  }

  /** {@code 2026-11-26T11:30:49.103Z INFO  [thread] Logger - message}, a new line, the stack trace if any. */
  static void write(StringBuilder line, long epochSecond, int nanoOfSecond, Level level, String thread,
      String logger, Message message, Throwable thrown) {
    timestamp(epochSecond, nanoOfSecond, line);
    line.append(' ');
    String name = level.name();
    line.append(name);
    for (int pad = name.length(); pad < 5; pad++) {
      line.append(' ');
    }
    line.append(" [").append(thread).append("] ");
    line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(" - ");
    if (message instanceof StringBuilderFormattable formattable) {
      formattable.formatTo(line);
    } else if (message != null) {
      line.append(message.getFormattedMessage());
    }
    line.append(NEWLINE);
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      line.append(trace.getBuffer());
    }
  }

  /** The instant in UTC to the millisecond, ISO 8601 with a {@code Z}; the civil date computed, not allocated. */
  static void timestamp(long epochSecond, int nanoOfSecond, StringBuilder line) {
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
    int millis = nanoOfSecond / 1_000_000;
    line.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10)).append('Z');
  }

  private static void twoDigits(int value, StringBuilder line) {
    line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
