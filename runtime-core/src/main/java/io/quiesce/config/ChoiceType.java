package io.quiesce.config;

import java.util.List;
import java.util.Locale;

/** One of a fixed list of words, matched ignoring case and normalised to lower case. */
final class ChoiceType implements ValueType<String> {

  private final List<String> allowed;

  ChoiceType(List<String> allowed) {
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("a choice needs at least one allowed value");
    }
    this.allowed = allowed.stream().map(ChoiceType::normalise).distinct().toList();
  }

  @Override
  public Class<String> javaType() {
    return String.class;
  }

  @Override
  public String expectation() {
    return "one of " + String.join(", ", allowed);
  }

  @Override
  public String parse(Object raw) throws InvalidValueException {
    if (raw instanceof String text && allowed.contains(normalise(text))) {
      return normalise(text);
    }
    throw InvalidValueException.expected(expectation());
  }

  private static String normalise(String text) {
    return text.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String format(String value) {
    return value;
  }
}
