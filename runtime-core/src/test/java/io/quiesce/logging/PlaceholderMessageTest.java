package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

/**
 * The text format's messages read as log4j's own {@link ParameterizedMessage} would have them:
 * the same text and the same throwable, case by case, with log4j's as the reference.
 */
class PlaceholderMessageTest {

  private static final IllegalStateException FAILURE = new IllegalStateException("boom");

  private record Case(String pattern, Object[] arguments) {}

  private static Case of(String pattern, Object... arguments) {
    return new Case(pattern, arguments);
  }

  private static final List<Case> CASES = List.of(
      of("plain text"),
      of("Lifecycle {} -> {} ({})", "RUNNING", "DRAINING", "SIGNAL"),
      of("one {} too few {}", "a"),
      of("no placeholder", "extra"),
      of("{}{}{}", 1, 2L, 3.5),
      of("null {}", (Object) null),
      of("escaped \\{} and {}", "x"),
      of("backslash \\\\{} then", "y"),
      of("three \\\\\\{} and {}", "z"),
      of("lone \\ and {", "w"),
      of("braces {x} { } {}", "v"),
      of("ends with {", "u"),
      of("arrays {} {} {}", new int[] {1, 2}, new String[] {"a", "b"}, new Object[] {new long[] {3}}),
      of("more arrays {} {} {} {}", new char[] {'a', 'b'}, new double[] {1.5, -0.0}, new boolean[] {true}, new byte[0]),
      of("failed: {}", "x", FAILURE),
      of("failed", FAILURE),
      of("used {}", FAILURE),
      of("{} and {}", "a", FAILURE));

  @Test
  void formatsAsLog4jsParameterizedMessage() {
    for (Case c : CASES) {
      Message ours = PlaceholderMessage.FACTORY.newMessage(c.pattern(), c.arguments());
      ParameterizedMessage log4j = new ParameterizedMessage(c.pattern(), c.arguments());
      StringBuilder line = new StringBuilder("> ");
      ((PlaceholderMessage) ours).formatTo(line);
      assertThat(ours.getFormattedMessage()).as(c.pattern()).isEqualTo(log4j.getFormattedMessage());
      assertThat(line.toString()).as(c.pattern()).isEqualTo("> " + log4j.getFormattedMessage());
      assertThat(ours.getThrowable()).as(c.pattern()).isSameAs(log4j.getThrowable());
    }
  }

  @Test
  void anArgumentWhoseToStringThrowsDoesNotLoseTheLine() {
    Object broken = new Object() {
      @Override
      public String toString() {
        throw new UnsupportedOperationException("no text");
      }
    };
    String text = PlaceholderMessage.FACTORY.newMessage("before {} after", broken).getFormattedMessage();
    assertThat(text).startsWith("before [!!!").contains("UnsupportedOperationException").endsWith("!!!] after");
  }
}
