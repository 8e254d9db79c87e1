package io.quiesce.sample.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * A CompleteMultipartUpload document: {@code <Part><PartNumber>n</PartNumber><ETag>..</ETag></Part>}
 * entries, in the order given. Read with {@link SafeXml}, bounded in depth and size; anything else
 * is 400 {@code MalformedXML}.
 */
record CompleteMultipartRequest(List<Part> parts) {

  /** One entry; {@code etag} as sent (quoted or not). */
  record Part(int number, String etag) {}

  static final int MAX_PARTS = 10_000;
  /** 10,000 entries with room for checksums and white space. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  private static final int MAX_DEPTH = 4;

  static CompleteMultipartRequest parse(byte[] xml) {
    List<Part> parts = new ArrayList<>();
    SafeXml.read(xml, "CompleteMultipartUpload", MAX_DEPTH, new SafeXml.Elements() {
      private String number;
      private String etag;

      @Override
      public boolean start(int depth, String name) {
        if (depth == 2 && name.equals("Part")) {
          number = null;
          etag = null;
        }
        return depth == 3; // PartNumber, ETag, and checksums this emulator does not check
      }

      @Override
      public void end(int depth, String name, String text) {
        if (depth == 3 && name.equals("PartNumber")) {
          number = text.strip();
        } else if (depth == 3 && name.equals("ETag")) {
          etag = text.strip();
        } else if (depth == 2 && name.equals("Part")) {
          if (number == null || etag == null || !number.matches("\\d{1,5}") || parts.size() == MAX_PARTS) {
            throw malformed();
          }
          parts.add(new Part(Integer.parseInt(number), etag));
        }
      }
    }, CompleteMultipartRequest::malformed);
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
