package io.quiesce.config;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** A whole number within an inclusive range; decimals such as {@code 8080.0} are refused. */
final class IntegerType implements ValueType<Integer> {

  private static final Pattern DIGITS = Pattern.compile("[+-]?\\d+");

  private final int min;
  private final int max;

  IntegerType(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " > max " + max);
    }
    this.min = min;
    this.max = max;
  }

  @Override
  public Class<Integer> javaType() {
    return Integer.class;
  }

  @Override
  public String expectation() {
    return "an integer from " + min + " to " + max;
  }

  @Override
  public Integer parse(Object raw) throws InvalidValueException {
    BigInteger value = toBigInteger(raw);
    if (value == null || value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw InvalidValueException.expected(expectation());
    }
    return value.intValue();
  }

  private static BigInteger toBigInteger(Object raw) {
    if (raw instanceof Integer || raw instanceof Long) {
      return BigInteger.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof BigInteger big) {
      return big;
    }
    if (raw instanceof String text && DIGITS.matcher(text.strip()).matches()) {
      return new BigInteger(text.strip());
    }
    return null;
  }

  @Override
  public String format(Integer value) {
    return value.toString();
  }
}
