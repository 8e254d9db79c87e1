package io.quiesce.sample.s3;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A CompleteMultipartUpload document: {@code <Part><PartNumber>n</PartNumber><ETag>..</ETag></Part>}
 * entries, in the order given. Parsed as {@link DeleteObjectsRequest} is: a streaming parser, no
 * DTD, bounded depth and size; anything else is 400 {@code MalformedXML}.
 */
record CompleteMultipartRequest(List<Part> parts) {

  /** One entry; {@code etag} as sent (quoted or not). */
  record Part(int number, String etag) {}

  static final int MAX_PARTS = 10_000;
  /** 10,000 entries with room for checksums and white space. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  private static final int MAX_DEPTH = 4;

  private static final XMLInputFactory FACTORY = newFactory();

  private static XMLInputFactory newFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  static CompleteMultipartRequest parse(byte[] xml) {
    List<Part> parts = new ArrayList<>();
    try {
      XMLStreamReader r = FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml));
      try {
        int depth = 0;
        String number = null;
        String etag = null;
        StringBuilder text = null;
        while (r.hasNext()) {
          int event = r.next();
          if (event == XMLStreamConstants.DTD) {
            throw malformed();
          } else if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            String name = r.getLocalName();
            if (depth > MAX_DEPTH || (depth == 1 && !name.equals("CompleteMultipartUpload")) || text != null) {
              throw malformed();
            }
            if (depth == 2 && name.equals("Part")) {
              number = null;
              etag = null;
            } else if (depth == 3) {
              text = new StringBuilder();
            }
          } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
            if (text != null) {
              text.append(r.getText());
            }
          } else if (event == XMLStreamConstants.END_ELEMENT) {
            String name = r.getLocalName();
            if (depth == 3) {
              if (name.equals("PartNumber")) {
                number = text.toString().strip();
              } else if (name.equals("ETag")) {
                etag = text.toString().strip();
              }
              text = null;
            } else if (depth == 2 && name.equals("Part")) {
              if (number == null || etag == null || !number.matches("\\d{1,5}") || parts.size() == MAX_PARTS) {
                throw malformed();
              }
              parts.add(new Part(Integer.parseInt(number), etag));
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
    if (parts.isEmpty()) {
      throw malformed();
    }
    return new CompleteMultipartRequest(List.copyOf(parts));
  }

  private static S3Error malformed() {
    return new S3Error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our "
        + "published schema (1 to 10000 <Part> entries with <PartNumber> and <ETag>).");
  }
}
