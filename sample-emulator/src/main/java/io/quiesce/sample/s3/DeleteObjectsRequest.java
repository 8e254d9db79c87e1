package io.quiesce.sample.s3;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The {@code <Delete>} document of DeleteObjects: up to 1000 keys and the Quiet flag. */
record DeleteObjectsRequest(List<String> keys, boolean quiet) {

  static final int MAX_KEYS = 1000;

  static DeleteObjectsRequest parse(byte[] xml) {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      // Client XML: no DTDs, no external entities.
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(true);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw malformed();
    }
    Element root = doc.getDocumentElement();
    if (!"Delete".equals(root.getLocalName())) {
      throw malformed();
    }
    List<String> keys = new ArrayList<>();
    boolean quiet = false;
    NodeList children = root.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node n = children.item(i);
      if (n instanceof Element e && "Object".equals(e.getLocalName())) {
        String key = childText(e, "Key");
        if (key == null) {
          throw malformed();
        }
        keys.add(key);
      } else if (n instanceof Element e && "Quiet".equals(e.getLocalName())) {
        quiet = "true".equalsIgnoreCase(e.getTextContent().strip());
      }
    }
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      throw malformed();
    }
    return new DeleteObjectsRequest(List.copyOf(keys), quiet);
  }

  private static String childText(Element parent, String name) {
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && name.equals(e.getLocalName())) {
        return e.getTextContent();
      }
    }
    return null;
  }

  private static S3Error malformed() {
    return new S3Error(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema (1 to 1000 <Object><Key> entries).");
  }
}
