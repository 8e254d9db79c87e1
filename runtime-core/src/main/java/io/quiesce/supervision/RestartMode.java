package io.quiesce.supervision;

import java.util.Locale;

/** When a supervised service is restarted. */
public enum RestartMode {
  /** Never: a failing service stays as it is; its failed checks still count in health. */
  NEVER,
  /** After {@link RestartPolicy#failureThreshold()} consecutive failed checks, or a fatal error. */
  ON_FAILURE,
  /** On any failed check or fatal error. */
  ALWAYS;

  /** The configuration word: {@code never}, {@code on-failure}, {@code always}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Reads a configuration word; throws {@link IllegalArgumentException} for any other. */
  public static RestartMode fromWord(String word) {
    for (RestartMode m : values()) {
      if (m.word().equals(word)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown restart mode " + word);
  }
}
