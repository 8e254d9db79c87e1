package io.quiesce.sample.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code <Delete>} document of DeleteObjects: up to 1000 keys and the Quiet flag. Read with
 * {@link SafeXml} and refused past {@link #MAX_DEPTH} levels: deep nesting is a 400
 * {@code MalformedXML}, never a stack overflow.
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

  static DeleteObjectsRequest parse(byte[] xml) {
    List<String> keys = new ArrayList<>();
    boolean[] quiet = {false};
    SafeXml.read(xml, "Delete", MAX_DEPTH, new SafeXml.Elements() {
      private String objectKey; // the <Key> of the <Object> being read

      @Override
      public boolean start(int depth, String name) {
        if (depth == 2 && name.equals("Object")) {
          objectKey = null;
        } else if (depth == 3 && name.equals("VersionId")) {
          throw S3Error.notImplemented("Deleting a version (VersionId in DeleteObjects; bucket versioning)");
        }
        return (depth == 3 && name.equals("Key")) || (depth == 2 && name.equals("Quiet"));
      }

      @Override
      public void end(int depth, String name, String text) {
        if (depth == 3 && name.equals("Key")) {
          objectKey = text;
        } else if (depth == 2 && name.equals("Quiet")) {
          quiet[0] = "true".equalsIgnoreCase(text.strip());
        } else if (depth == 2 && name.equals("Object")) {
          if (objectKey == null || keys.size() == MAX_KEYS) {
            throw malformed();
          }
          keys.add(objectKey);
        }
      }
    }, DeleteObjectsRequest::malformed);
    if (keys.isEmpty()) {
      throw malformed();
    }
    return new DeleteObjectsRequest(List.copyOf(keys), quiet[0]);
  }

  private static S3Error malformed() {
    return new S3Error(400, "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published schema (1 to 1000 <Object><Key> entries).");
  }
}
