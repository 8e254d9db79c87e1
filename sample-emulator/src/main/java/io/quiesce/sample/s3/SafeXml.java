package io.quiesce.sample.s3;

import java.io.ByteArrayInputStream;
import java.util.function.Supplier;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a client's XML document safely: a streaming (StAX) parser that keeps no tree and never
 * recurses, with no DTD and no external entities, and a bound on depth — deep nesting is an error
 * the caller names, never a stack overflow. The caller sees elements opening and closing, with
 * the text of the leaf elements it asks for; an element inside one of those is refused too.
 */
final class SafeXml {

  /** What a document's reader does with its elements. */
  interface Elements {
    /**
     * An element opened, {@code depth} 1 for the root.
     *
     * @return true to be given its text at {@link #end}
     */
    boolean start(int depth, String name);

    /** An element closed; {@code text} is what it held if {@link #start} asked for it, else null. */
    void end(int depth, String name, String text);
  }

  private static final XMLInputFactory FACTORY = newFactory();

  private SafeXml() {}

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  /**
   * Reads {@code xml}, whose root must be {@code root}, at most {@code maxDepth} levels deep.
   *
   * @throws S3Error {@code malformed} for anything that is not such a document, or the error an
   *     {@link Elements} callback threw
   */
  static void read(byte[] xml, String root, int maxDepth, Elements elements, Supplier<S3Error> malformed) {
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        int depth = 0;
        StringBuilder text = null; // the text of the element asked for, while it is open
        while (r.hasNext()) {
          int event = r.next();
          if (event == XMLStreamConstants.DTD) {
            throw malformed.get();
          } else if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String name = r.getLocalName();
            if (depth > maxDepth || (depth == 1 && !name.equals(root)) || text != null) {
              throw malformed.get();
            }
            text = elements.start(depth, name) ? new StringBuilder() : null;
          } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
            if (text != null) {
              text.append(r.getText());
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            elements.end(depth, r.getLocalName(), text == null ? null : text.toString());
            text = null;
            depth--;
          }
        }
      } finally {
        r.close();
      }
    } catch (XMLStreamException | RuntimeException e) {
      if (e instanceof S3Error s) {
        throw s;
      }
      throw malformed.get();
    }
  }
}
