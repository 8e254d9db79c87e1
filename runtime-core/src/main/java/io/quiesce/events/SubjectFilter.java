package io.quiesce.events;

import java.util.Arrays;
import java.util.Objects;

/**
 * A subject pattern with NATS wildcards: tokens are separated by dots, {@code *} matches exactly
 * one token and {@code >} (only as the last token) matches one or more tokens. So
 * {@code quiesce.lifecycle.>} matches every lifecycle event and {@code quiesce.lifecycle.*.startup}
 * every service's startup. A filter without wildcards matches only that subject.
 *
 * <p>Immutable and thread-safe; the constructor rejects malformed patterns (empty tokens, a
 * wildcard inside a token, {@code >} before the end).
 */
public final class SubjectFilter {

  private final String pattern;
  private final String[] tokens;

  private SubjectFilter(String pattern) {
    this.pattern = pattern;
    this.tokens = pattern.split("\\.", -1);
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.isEmpty()) {
        throw new IllegalArgumentException("subject filter \"" + pattern + "\" has an empty token (two dots, or a dot at an end)");
      }
      if (!t.equals("*") && !t.equals(">") && (t.contains("*") || t.contains(">"))) {
        throw new IllegalArgumentException("subject filter \"" + pattern + "\": wildcards * and > must be whole tokens, not part of \"" + t + "\"");
      }
      if (t.equals(">") && i != tokens.length - 1) {
        throw new IllegalArgumentException("subject filter \"" + pattern + "\": > is only allowed as the last token");
      }
      if (t.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("subject filter \"" + pattern + "\" contains white space");
      }
    }
  }

  /** Parses a pattern; throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static SubjectFilter of(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    return new SubjectFilter(pattern.strip());
  }

  /** True if {@code subject} (a concrete subject, no wildcards) matches this pattern. */
  public boolean matches(String subject) {
    String[] parts = subject.split("\\.", -1);
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      if (t.equals(">")) {
        return parts.length > i;
      }
      if (i >= parts.length) {
        return false;
      }
      if (!t.equals("*") && !t.equals(parts[i])) {
        return false;
      }
    }
    return parts.length == tokens.length;
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectFilter f && Arrays.equals(tokens, f.tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
