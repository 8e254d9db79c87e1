package io.quiesce.sample.s3;

import io.quiesce.sample.storage.ObjectStore;
import io.quiesce.sample.storage.ObjectStore.StoredObject;
import io.quiesce.sample.storage.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One page of ListObjectsV2: the objects whose keys start with {@code prefix}, keys that share the
 * next {@code delimiter} rolled up into common prefixes, at most {@code maxKeys} entries (objects
 * and prefixes together), in key order. The continuation token names the last entry returned, so
 * the next page starts right after it (after every key under it when it was a common prefix).
 */
record ObjectListing(List<StoredObject> objects, List<String> commonPrefixes, boolean truncated, String nextToken) {

  static ObjectListing page(ObjectStore store, String bucket, String prefix, String delimiter, int maxKeys,
      String startAfter, String continuationToken) throws StoreException {
    if (maxKeys == 0) {
      return new ObjectListing(List.of(), List.of(), false, null);
    }
    String after = startAfter;
    String skipUnder = null;
    if (continuationToken != null) {
      String token = decodeToken(continuationToken);
      after = token.substring(1);
      if (token.charAt(0) == 'p') {
        skipUnder = after;
      }
    }
    boolean fromPrefix = !prefix.isEmpty() && (after == null || after.compareTo(prefix) < 0);
    String from = fromPrefix ? prefix : after;
    List<StoredObject> objects = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    String[] last = {skipUnder, null}; // [0]: common prefix to skip under, [1]: last token
    boolean[] truncated = {false};
    store.scan(bucket, from, fromPrefix, object -> {
      String key = object.key();
      if (!key.startsWith(prefix)) {
        return key.compareTo(prefix) < 0; // past the prefix's range: done
      }
      if (last[0] != null && key.startsWith(last[0])) {
        return true;
      }
      String rolledUp = null;
      if (!delimiter.isEmpty()) {
        int at = key.indexOf(delimiter, prefix.length());
        if (at >= 0) {
          rolledUp = key.substring(0, at + delimiter.length());
        }
      }
      if (objects.size() + prefixes.size() >= maxKeys) {
        truncated[0] = true;
        return false;
      }
      if (rolledUp != null) {
        prefixes.add(rolledUp);
        last[0] = rolledUp;
        last[1] = "p" + rolledUp;
      } else {
        objects.add(object);
        last[1] = "k" + key;
      }
      return true;
    });
    return new ObjectListing(objects, prefixes, truncated[0], truncated[0] ? encodeToken(last[1]) : null);
  }

  /** The continuation token that resumes after every key under common prefix {@code p}. */
  static String afterPrefix(String p) {
    return encodeToken("p" + p);
  }

  private static String encodeToken(String token) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      String t = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (t.isEmpty() || (t.charAt(0) != 'k' && t.charAt(0) != 'p')) {
        throw new IllegalArgumentException();
      }
      return t;
    } catch (IllegalArgumentException e) {
      throw S3Error.invalidArgument("The continuation token provided is incorrect");
    }
  }
}
