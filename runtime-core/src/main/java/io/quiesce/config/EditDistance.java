package io.quiesce.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the known name a user probably meant, for "did you mean" hints. */
public final class EditDistance {

  private EditDistance() {
  }

  /**
   * The candidate nearest to {@code word} by Levenshtein distance, if it is close enough to be a
   * typo: roughly one edit per four characters, at most three. Ties go to the earlier candidate.
   */
  public static Optional<String> closest(String word, Collection<String> candidates) {
    return closest(word, candidates, -1);
  }

  /** The same with a fixed tolerance: at most {@code maxDistance} edits (a negative one: as above). */
  public static Optional<String> closest(String word, Collection<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = between(word, candidate);
      if (distance < bestDistance && distance <= (maxDistance < 0 ? tolerance(candidate) : maxDistance)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int tolerance(String candidate) {
    return Math.max(1, Math.min(3, candidate.length() / 4));
  }

  // Levenshtein distance with a swap of two neighbouring letters as one edit (optimal string
  // alignment): "stauts" is one slip from "status", not two.
  private static int between(String a, String b) {
    int[] beforePrevious = new int[b.length() + 1];
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
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
        }
      }
      int[] oldest = beforePrevious;
      beforePrevious = previous;
      previous = current;
      current = oldest;
    }
    return previous[b.length()];
  }
}
