package io.quiesce.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the known name a user probably meant, for "did you mean" hints. */
final class EditDistance {

  private EditDistance() {
  }

  /**
   * The candidate nearest to {@code word} by Levenshtein distance, if it is close enough to be a
   * typo: roughly one edit per four characters, at most three. Ties go to the earlier candidate.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = between(word, candidate);
      if (distance < bestDistance && distance <= tolerance(candidate)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int tolerance(String candidate) {
    return Math.max(1, Math.min(3, candidate.length() / 4));
  }

  private static int between(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
