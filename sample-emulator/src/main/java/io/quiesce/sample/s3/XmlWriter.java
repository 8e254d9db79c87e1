package io.quiesce.sample.s3;

import java.util.ArrayDeque;
import java.util.Deque;

/** Writes the small XML documents S3 answers with; escapes all text. Not thread-safe. */
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

  String finish() {
    while (!open.isEmpty()) {
      end();
    }
    return out.toString();
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
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append("&#").append((int) c).append(';');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
