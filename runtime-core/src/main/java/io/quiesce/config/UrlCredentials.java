package io.quiesce.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials written into URLs ({@code nats://user:secret@host:4222}) wherever text that may
 * hold one is shown: configuration values and origins, problems, log lines. The password, or a
 * lone token ({@code nats://token@host}, as NATS accepts), becomes {@code ***}; a user name before
 * a password is kept, to tell accounts apart. Stateless and thread-safe.
 */
public final class UrlCredentials {

  /** A scheme, "//", then user info up to "@" (no "/", "@" or white space inside). */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s]+)@");

  /** What replaces a password or token. */
  public static final String MASK = "***";

  private UrlCredentials() {}

  /** {@code text} with the credentials of every URL in it masked; null stays null. */
  public static String redact(String text) {
    if (text == null || text.indexOf("://") < 0) {
      return text;
    }
    Matcher m = USER_INFO.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String userInfo = m.group(2);
      int colon = userInfo.indexOf(':');
      String masked = colon > 0 ? userInfo.substring(0, colon) + ":" + MASK : MASK;
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + masked + "@"));
    }
    m.appendTail(out);
    return out.toString();
  }
}
