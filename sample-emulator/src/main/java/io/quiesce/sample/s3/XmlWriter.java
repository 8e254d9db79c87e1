package io.quiesce.sample.s3;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small XML documents S3 answers with; escapes all text. Text that XML 1.0 cannot hold
 * at all (control characters other than tab, CR and LF; lone surrogates) is refused with an
 * {@link IllegalArgumentException}: callers check with {@link #representable} and answer otherwise.
 * Not thread-safe.
 */
final class XmlWriter {

  static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  private final Deque<String> open = new ArrayDeque<>();

  /** Starts the root element in the S3 namespace. */
  static XmlWriter document(String root) {
    XmlWriter w = new XmlWriter();
    w.out.append('<').append(root).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
    w.open.push(root);
    return w;
  }

  /** Starts a root element without namespace (S3's {@code <Error>} has none). */
  static XmlWriter plainDocument(String root) {
    XmlWriter w = new XmlWriter();
    w.out.append('<').append(root).append('>');
    w.open.push(root);
    return w;
  }

  XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  XmlWriter end() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** An element with text; nothing when {@code value} is null. */
  XmlWriter element(String name, Object value) {
    if (value != null) {
      out.append('<').append(name).append('>');
      escape(String.valueOf(value));
      out.append("</").append(name).append('>');
    }
    return this;
  }

  /** Text inside the element open now. */
  XmlWriter text(String value) {
    escape(value);
    return this;
  }

  String finish() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString();
  }

  /** True when every character of {@code s} can be written in an XML 1.0 document. */
  static boolean representable(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!allowed(s, i)) {
        return false;
      }
    }
    return true;
  }

  /** XML 1.0's Char production: tab, CR, LF, U+0020..U+D7FF, U+E000..U+FFFD, and paired surrogates. */
  private static boolean allowed(String s, int i) {
    char c = s.charAt(i);
    if (c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c == '\t' || c == '\n' || c == '\r') {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private void escape(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          if (!allowed(s, i)) {
            // Not even as a character reference: XML 1.0 parsers reject &#0; and the like.
            throw new IllegalArgumentException("U+" + Integer.toHexString(c) + " cannot be written in XML 1.0");
          }
          out.append(c);
        }
      }
    }
  }
}
