package io.quiesce.sample.s3;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The {@code <Delete>} document of DeleteObjects: up to 1000 keys and the Quiet flag. Read with a
 * streaming (StAX) parser that keeps no tree and never recurses, and refused past
 * {@link #MAX_DEPTH} levels: deep nesting is a 400 {@code MalformedXML}, never a stack overflow.
 */
record DeleteObjectsRequest(List<String> keys, boolean quiet) {

  static final int MAX_KEYS = 1000;
  /**
   * Largest body accepted: 1000 keys of up to 1024 bytes, each in {@code <Object><Key>...</Key></Object>},
   * with room for escaping and white space (S3 documents no byte limit; the key limit bounds it).
   */
  static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
  /** Delete / Object / Key (or VersionId, ETag, ...): three levels; a little room for more. */
  static final int MAX_DEPTH = 8;

  private static final XMLInputFactory FACTORY = newFactory();

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    // Client XML: no DTDs, no external entities.
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  static DeleteObjectsRequest parse(byte[] xml) {
    List<String> keys = new ArrayList<>();
    boolean quiet = false;
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        int depth = 0;
        String objectKey = null; // the <Key> of the <Object> being read
        StringBuilder text = null; // text of the <Key> or <Quiet> being read
        while (r.hasNext()) {
          int event = r.next();
          if (event == XMLStreamConstants.DTD) {
            throw malformed();
          } else if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String name = r.getLocalName();
            if (depth > MAX_DEPTH || (depth == 1 && !name.equals("Delete"))) {
              throw malformed();
            }
            if (depth == 2 && name.equals("Object")) {
              objectKey = null;
            } else if (depth == 3 && name.equals("VersionId")) {
              throw S3Error.notImplemented("Deleting a version (VersionId in DeleteObjects; bucket versioning)");
            } else if ((depth == 3 && name.equals("Key")) || (depth == 2 && name.equals("Quiet"))) {
              text = new StringBuilder();
            } else if (text != null) {
              throw malformed(); // an element inside <Key> or <Quiet>
            }
          } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
            if (text != null) {
              text.append(r.getText());
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            String name = r.getLocalName();
            if (depth == 3 && name.equals("Key") && text != null) {
              objectKey = text.toString();
              text = null;
            } else if (depth == 2 && name.equals("Quiet") && text != null) {
              quiet = "true".equalsIgnoreCase(text.toString().strip());
              text = null;
            } else if (depth == 2 && name.equals("Object")) {
              if (objectKey == null || keys.size() == MAX_KEYS) {
                throw malformed();
              }
              keys.add(objectKey);
            }
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
      throw malformed();
    }
    if (keys.isEmpty()) {
      throw malformed();
    }
    return new DeleteObjectsRequest(List.copyOf(keys), quiet);
  }

  private static S3Error malformed() {
    return new S3Error(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema (1 to 1000 <Object><Key> entries).");
  }
}
