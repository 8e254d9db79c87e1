package io.quiesce.logging;

import java.lang.reflect.Array;
import java.util.Arrays;
import org.apache.logging.log4j.message.AbstractMessageFactory;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.util.StringBuilderFormattable;

/**
 * A message with {@code {}} placeholders, as log4j's and SLF4J's: each {@code {}} takes the next
 * argument; a backslash before it writes it as it is ({@code \{}}), two write one backslash and
 * the argument; a {@code Throwable} left over after the placeholders is the message's throwable
 * (its stack trace follows the line). Arrays are written element by element.
 *
 * <p>The text format's own: log4j's {@code ParameterizedMessage} makes, in its formatter's static
 * initialiser, a date formatter in the JVM's default time zone, and that zone's rules are read
 * from the JDK's time-zone database (and {@code java.sql} is loaded for its date types), about
 * 10 ms of the first line a process logs. Formatting is deferred to {@link #formatTo}, as there.
 */
final class PlaceholderMessage implements Message, StringBuilderFormattable {

  private static final long serialVersionUID = 1L;

  /** Makes these messages; the default of {@link TextLoggerContext}'s loggers. */
  static final MessageFactory FACTORY = new Factory();

  private final String pattern;
  private final transient Object[] arguments;
  private final transient Throwable throwable;
  private transient String formatted;

  PlaceholderMessage(String pattern, Object[] arguments) {
    this.pattern = pattern;
    this.arguments = arguments == null ? new Object[0] : arguments;
    int last = this.arguments.length - 1;
    this.throwable = last >= 0 && this.arguments[last] instanceof Throwable t && placeholders(pattern) <= last ? t : null;
  }

  @Override
  public String getFormattedMessage() {
    if (formatted == null) {
      StringBuilder b = new StringBuilder(pattern == null ? 4 : pattern.length() + 16 * arguments.length);
      formatTo(b);
      formatted = b.toString();
    }
    return formatted;
  }

  @Override
  public void formatTo(StringBuilder out) {
    if (formatted != null) {
      out.append(formatted);
      return;
    }
    if (pattern == null) {
      out.append("null");
      return;
    }
    int next = 0;
    int n = pattern.length();
    for (int i = 0; i < n; i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        int run = i;
        while (run < n && pattern.charAt(run) == '\\') {
          run++;
        }
        int slashes = run - i;
        boolean beforePlaceholder = run + 1 < n && pattern.charAt(run) == '{' && pattern.charAt(run + 1) == '}';
        if (!beforePlaceholder) {
          out.append(pattern, i, run);
        } else {
          out.append(pattern, i, i + slashes / 2);
          if (slashes % 2 == 1) {
            out.append("{}");
          } else {
            next = argument(out, next);
          }
          run += 2;
        }
        i = run - 1;
      } else if (c == '{' && i + 1 < n && pattern.charAt(i + 1) == '}') {
        next = argument(out, next);
        i++;
      } else {
        out.append(c);
      }
    }
  }

  /** Writes argument {@code index} (or the placeholder itself when there is none); the next index. */
  private int argument(StringBuilder out, int index) {
    if (index >= arguments.length) {
      out.append("{}");
      return index;
    }
    Object a = arguments[index];
    try {
      if (a instanceof Object[] array) {
        out.append(Arrays.deepToString(array));
      } else if (a != null && a.getClass().isArray()) {
        out.append(primitiveArray(a));
      } else {
        out.append(a);
      }
    } catch (RuntimeException | LinkageError e) { // a toString that throws must not lose the line
      out.append("[!!!").append(a.getClass().getName()).append("=>").append(e).append("!!!]");
    }
    return index + 1;
  }

  /** A primitive array as {@code Arrays.toString} writes it. */
  private static String primitiveArray(Object a) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0, n = Array.getLength(a); i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(Array.get(a, i));
    }
    return b.append(']').toString();
  }

  /** How many placeholders {@code pattern} has, escaped ones not counted. */
  private static int placeholders(String pattern) {
    if (pattern == null) {
      return 0;
    }
    int count = 0;
    int slashes = 0;
    for (int i = 0, n = pattern.length(); i < n; i++) {
      char c = pattern.charAt(i);
      if (c == '{' && i + 1 < n && pattern.charAt(i + 1) == '}' && slashes % 2 == 0) {
        count++;
        i++;
      }
      slashes = c == '\\' ? slashes + 1 : 0;
    }
    return count;
  }

  @Override
  public String getFormat() {
    return pattern;
  }

  @Override
  public Object[] getParameters() {
    return arguments;
  }

  @Override
  public Throwable getThrowable() {
    return throwable;
  }

  private static final class Factory extends AbstractMessageFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public Message newMessage(String message, Object... params) {
      return new PlaceholderMessage(message, params);
    }
  }
}
