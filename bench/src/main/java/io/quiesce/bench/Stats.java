package io.quiesce.bench;

import java.util.Arrays;
import java.util.List;

/** Median and extremes of small samples (a handful of rounds). */
final class Stats {

  private Stats() {}

  static double median(List<? extends Number> values) {
    double[] v = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static double max(List<? extends Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
  }

  static double min(List<? extends Number> values) {
    return values.stream().mapToDouble(Number::doubleValue).min().orElse(Double.NaN);
  }

  /** Rounded to {@code digits} decimals, for tables and JSON alike. */
  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static String list(List<? extends Number> values, int digits) {
    return Arrays.toString(values.stream().mapToDouble(n -> round(n.doubleValue(), digits)).toArray());
  }
}
