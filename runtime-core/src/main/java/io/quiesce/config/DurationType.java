package io.quiesce.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A non-negative duration: a number of seconds ({@code 45}, {@code 0.5}) or a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}), precise to the nanosecond.
 */
final class DurationType implements ValueType<Duration> {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
  // Plain longs: BigDecimal's class initialisation is costly at start-up, and is needed only once a duration is parsed.
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ms", 1_000_000L,
      "s", 1_000_000_000L,
      "m", 60_000_000_000L,
      "h", 3_600_000_000_000L);

  @Override
  public Class<Duration> javaType() {
    return Duration.class;
  }

  @Override
  public String expectation() {
    return "a duration >= 0, e.g. 30, 30s or 500ms";
  }

  @Override
  public Duration parse(Object raw) throws InvalidValueException {
    if (raw instanceof Duration duration) {
      if (duration.isNegative()) {
        throw InvalidValueException.expected(expectation());
      }
      return duration;
    }
    Matcher matcher = FORM.matcher(text(raw));
    if (!matcher.matches()) {
      throw InvalidValueException.expected(expectation());
    }
    String unit = matcher.group(2) == null ? "s" : matcher.group(2);
    BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(unit)));
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
    } catch (ArithmeticException beyondThreeHundredYears) {
      throw InvalidValueException.expected(expectation());
    }
  }

  /** The text to match: YAML numbers in plain notation (1.0E-4 becomes 0.00010), strings stripped. */
  private static String text(Object raw) {
    if (raw instanceof Number number) {
      try {
        return new BigDecimal(number.toString()).toPlainString();
      } catch (NumberFormatException infinityOrNaN) {
        return "";
      }
    }
    return raw instanceof String string ? string.strip() : "";
  }

  /** The largest whole unit that fits: {@code 2m}, {@code 90s}, {@code 500ms}, else decimal seconds. */
  @Override
  public String format(Duration value) {
    long seconds = value.getSeconds();
    int nanos = value.getNano();
    if (nanos == 0) {
      if (seconds != 0 && seconds % 3600 == 0) {
        return seconds / 3600 + "h";
      }
      if (seconds != 0 && seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    if (nanos % 1_000_000 == 0) {
      return value.toMillis() + "ms";
    }
    return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).stripTrailingZeros().toPlainString() + "s";
  }
}
