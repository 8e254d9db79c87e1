package io.quiesce.config;

/** {@code true} or {@code false}, in any letter case; nothing else (no yes/no, no 1/0). */
final class BooleanType implements ValueType<Boolean> {

  @Override
  public Class<Boolean> javaType() {
    return Boolean.class;
  }

  @Override
  public String expectation() {
    return "true or false";
  }

  @Override
  public Boolean parse(Object raw) throws InvalidValueException {
    if (raw instanceof Boolean value) {
      return value;
    }
    if (raw instanceof String text) {
      String stripped = text.strip();
      if (stripped.equalsIgnoreCase("true")) {
        return true;
      }
      if (stripped.equalsIgnoreCase("false")) {
        return false;
      }
    }
    throw InvalidValueException.expected(expectation());
  }

  @Override
  public String format(Boolean value) {
    return value.toString();
  }
}
