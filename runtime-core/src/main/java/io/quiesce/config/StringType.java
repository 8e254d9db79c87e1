package io.quiesce.config;

/** Non-blank text, stripped of surrounding white space. */
final class StringType implements ValueType<String> {

  @Override
  public Class<String> javaType() {
    return String.class;
  }

  @Override
  public String expectation() {
    return "a non-blank string";
  }

  @Override
  public String parse(Object raw) throws InvalidValueException {
    if (!(raw instanceof String text)) {
      // YAML turns 1.10 into the number 1.1 and yes into true: accepting them would change the text.
      throw new InvalidValueException("expected a string; quote the value in YAML to keep it as written");
    }
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      throw InvalidValueException.expected(expectation());
    }
    return stripped;
  }

  @Override
  public String format(String value) {
    return value;
  }
}
