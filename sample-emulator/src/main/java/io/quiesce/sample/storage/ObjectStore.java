package io.quiesce.sample.storage;

import io.quiesce.sample.storage.StoreException.Reason;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Buckets of keyed objects, kept in memory or in a directory. Every method may block (file I/O and
 * fsync): call it from a worker thread. Thread-safe; a write returns only once it is durable.
 *
 * <p>On disk, {@code s3/<bucket>/bucket.rec} marks a bucket and each object is one
 * {@link RecordFile} {@code s3/<bucket>/<sha-256 of key>.obj} holding its attributes and content
 * together, replaced atomically: a reader or a restart sees the old object or the new one, never a
 * mix or a torn one.
 */
public final class ObjectStore {

  /** What is stored about an object besides its bytes. {@code etag} is quoted, as in HTTP. */
  public record StoredObject(String key, long size, String etag, Instant lastModified,
      Map<String, String> headers, Map<String, String> metadata) {}

  /** A bucket and when it was created. */
  public record BucketInfo(String name, Instant created) {}

  /** Which bytes of an object to read. */
  public record Slice(long start, long length) {}

  /** An object's attributes with the requested bytes of its content. */
  public record Content(StoredObject object, Slice slice, byte[] bytes) {}

  private static final String BUCKET_FILE = "bucket.rec";
  private static final String OBJECT_SUFFIX = ".obj";
  private static final Pattern OBJECT_NAME = Pattern.compile("[0-9a-f]{64}\\.obj");

  private final Path root; // null: in memory
  private final Map<String, Bucket> buckets = new TreeMap<>(); // guarded by this

  private static final class Bucket {
    final String name;
    final Instant created;
    final Path dir;
    final TreeMap<String, Entry> objects = new TreeMap<>(); // guarded by this bucket
    boolean deleted; // guarded by this bucket

    Bucket(String name, Instant created, Path dir) {
      this.name = name;
      this.created = created;
      this.dir = dir;
    }
  }

  /** {@code body} is only kept in memory mode; on disk the file is the content. */
  private record Entry(StoredObject object, byte[] body) {}

  private ObjectStore(Path root) {
    this.root = root;
  }

  static ObjectStore inMemory() {
    return new ObjectStore(null);
  }

  /** Reads every bucket and object header under {@code dir}; collects our crash leftovers. */
  static ObjectStore load(Path dir, List<Path> leftovers) throws IOException, CorruptDataException {
    ObjectStore store = new ObjectStore(dir);
    for (Path bucketDir : list(dir)) {
      if (DurableFiles.isLeftover(bucketDir)) {
        leftovers.add(bucketDir);
        continue;
      }
      if (!Files.isDirectory(bucketDir)) {
        throw new CorruptDataException(bucketDir, "unexpected file where only bucket directories belong");
      }
      Path marker = bucketDir.resolve(BUCKET_FILE);
      if (!Files.isRegularFile(marker)) {
        throw new CorruptDataException(bucketDir, "a directory without " + BUCKET_FILE + " is not a bucket of this emulator");
      }
      JsonObject b = RecordFile.read(marker, "bucket").json();
      String name = b.getString("name");
      if (!bucketDir.getFileName().toString().equals(name)) {
        throw new CorruptDataException(marker, "names bucket \"" + name + "\" but lies in directory \"" + bucketDir.getFileName() + "\"");
      }
      Bucket bucket = new Bucket(name, Instant.ofEpochMilli(b.getLong("created", 0L)), bucketDir);
      for (Path file : list(bucketDir)) {
        String fileName = file.getFileName().toString();
        if (DurableFiles.isLeftover(file)) {
          leftovers.add(file);
        } else if (fileName.equals(BUCKET_FILE)) {
          continue;
        } else if (!OBJECT_NAME.matcher(fileName).matches() || !Files.isRegularFile(file)) {
          throw new CorruptDataException(file, "unexpected file in a bucket directory");
        } else {
          StoredObject object = fromHeader(file, RecordFile.read(file, "object"));
          if (!fileName.equals(fileName(object.key()))) {
            throw new CorruptDataException(file, "holds key \"" + object.key() + "\", which belongs in " + fileName(object.key()));
          }
          bucket.objects.put(object.key(), new Entry(object, null));
        }
      }
      store.buckets.put(name, bucket);
    }
    return store;
  }

  public synchronized List<BucketInfo> buckets() {
    return buckets.values().stream().map(b -> new BucketInfo(b.name, b.created)).toList();
  }

  public synchronized boolean exists(String bucket) {
    return buckets.containsKey(bucket);
  }

  public synchronized BucketInfo createBucket(String name) throws StoreException, IOException {
    if (buckets.containsKey(name)) {
      throw new StoreException(Reason.CONTAINER_EXISTS, "bucket " + name + " exists");
    }
    Instant created = Instant.now();
    Path dir = null;
    if (root != null) {
      dir = root.resolve(name);
      // Built under a temp name and renamed into place: a crash never leaves a half-made bucket.
      Path tmp = root.resolve(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
      Files.createDirectory(tmp);
      DurableFiles.replace(tmp.resolve(BUCKET_FILE),
          RecordFile.encode("bucket", new JsonObject().put("name", name).put("created", created.toEpochMilli()), 0));
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.syncDirectory(root);
    }
    buckets.put(name, new Bucket(name, created, dir));
    return new BucketInfo(name, created);
  }

  public void deleteBucket(String name) throws StoreException, IOException {
    Bucket bucket;
    synchronized (this) {
      bucket = bucket(name);
      synchronized (bucket) {
        if (!bucket.objects.isEmpty()) {
          throw new StoreException(Reason.CONTAINER_NOT_EMPTY, "bucket " + name + " is not empty");
        }
        bucket.deleted = true;
        buckets.remove(name);
        if (root != null) {
          DurableFiles.deleteTree(bucket.dir);
        }
      }
    }
  }

  /** Stores {@code body} under {@code key}, replacing what was there; durable when it returns. */
  public StoredObject put(String bucketName, String key, Map<String, String> headers, Map<String, String> metadata,
      byte[] body) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    StoredObject object = new StoredObject(key, body.length, etag(body), Instant.now(), Map.copyOf(headers), Map.copyOf(metadata));
    if (root == null) {
      synchronized (bucket) {
        checkAlive(bucket);
        bucket.objects.put(key, new Entry(object, body));
      }
      return object;
    }
    Path tmp = DurableFiles.writeTemp(bucket.dir, RecordFile.encode("object", toHeader(object), body.length), body);
    synchronized (bucket) {
      // Rename and index change under one lock: concurrent writers of one key end with the index
      // naming the file that won on disk.
      if (bucket.deleted) {
        Files.deleteIfExists(tmp);
        throw noSuchBucket(bucketName);
      }
      DurableFiles.commit(tmp, bucket.dir.resolve(fileName(key)));
      bucket.objects.put(key, new Entry(object, null));
    }
    DurableFiles.syncDirectory(bucket.dir);
    return object;
  }

  /** The object's attributes. */
  public StoredObject head(String bucketName, String key) throws StoreException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      Entry e = bucket.objects.get(key);
      if (e == null) {
        throw noSuchKey(key);
      }
      return e.object();
    }
  }

  /**
   * Reads an object's attributes and the bytes {@code slicer} chooses given its size (it may throw
   * to refuse a range), both from one version of the object even while it is being replaced.
   */
  public Content get(String bucketName, String key, LongFunction<Slice> slicer) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    if (root == null) {
      Entry e;
      synchronized (bucket) {
        e = bucket.objects.get(key);
      }
      if (e == null) {
        throw noSuchKey(key);
      }
      Slice s = slicer.apply(e.body().length);
      return new Content(e.object(), s, Arrays.copyOfRange(e.body(), (int) s.start(), (int) (s.start() + s.length())));
    }
    synchronized (bucket) {
      if (!bucket.objects.containsKey(key)) {
        throw noSuchKey(key);
      }
    }
    Path file = bucket.dir.resolve(fileName(key));
    // The file names its own attributes: read both from it, not from the index.
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      RecordFile.Header header = RecordFile.read(file, "object");
      StoredObject object = fromHeader(file, header);
      Slice s = slicer.apply(object.size());
      byte[] bytes = new byte[Math.toIntExact(s.length())];
      f.seek(header.bodyOffset() + s.start());
      f.readFully(bytes);
      return new Content(object, s, bytes);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw noSuchKey(key); // deleted meanwhile
    } catch (CorruptDataException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Deletes the object if present (true) and makes the deletion durable. */
  public boolean delete(String bucketName, String key) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      checkAlive(bucket);
      if (bucket.objects.remove(key) == null) {
        return false;
      }
      if (root != null) {
        Files.deleteIfExists(bucket.dir.resolve(fileName(key)));
      }
    }
    if (root != null) {
      DurableFiles.syncDirectory(bucket.dir);
    }
    return true;
  }

  /**
   * Visits the objects of a bucket in key order, starting at {@code from} (null: the first key;
   * {@code inclusive} says whether {@code from} itself counts), until {@code visitor} returns
   * false. The visitor runs under the bucket's lock: keep it short and free of I/O.
   */
  public void scan(String bucketName, String from, boolean inclusive, Predicate<StoredObject> visitor) throws StoreException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      var view = from == null ? bucket.objects : bucket.objects.tailMap(from, inclusive);
      for (Entry e : view.values()) {
        if (!visitor.test(e.object())) {
          return;
        }
      }
    }
  }

  public synchronized int bucketCount() {
    return buckets.size();
  }

  private synchronized Bucket bucketSync(String name) throws StoreException {
    return bucket(name);
  }

  private Bucket bucket(String name) throws StoreException {
    Bucket b = buckets.get(name);
    if (b == null) {
      throw noSuchBucket(name);
    }
    return b;
  }

  private static void checkAlive(Bucket bucket) throws StoreException {
    if (bucket.deleted) {
      throw noSuchBucket(bucket.name);
    }
  }

  private static StoreException noSuchBucket(String name) {
    return new StoreException(Reason.NO_SUCH_CONTAINER, "no bucket " + name);
  }

  private static StoreException noSuchKey(String key) {
    return new StoreException(Reason.NO_SUCH_ITEM, "no key " + key);
  }

  private static JsonObject toHeader(StoredObject o) {
    return new JsonObject()
        .put("key", o.key())
        .put("etag", o.etag())
        .put("last_modified", o.lastModified().toEpochMilli())
        .put("headers", new JsonObject(new LinkedHashMap<>(o.headers())))
        .put("metadata", new JsonObject(new LinkedHashMap<>(o.metadata())));
  }

  private static StoredObject fromHeader(Path file, RecordFile.Header header) throws CorruptDataException {
    JsonObject h = header.json();
    try {
      String key = h.getString("key");
      String etag = h.getString("etag");
      if (key == null || etag == null) {
        throw new CorruptDataException(file, "the object header lacks its key or etag");
      }
      return new StoredObject(key, header.bodyLength(), etag, Instant.ofEpochMilli(h.getLong("last_modified")),
          strings(h.getJsonObject("headers")), strings(h.getJsonObject("metadata")));
    } catch (ClassCastException | NullPointerException e) {
      throw new CorruptDataException(file, "the object header has a field of the wrong type");
    }
  }

  private static Map<String, String> strings(JsonObject o) {
    Map<String, String> m = new LinkedHashMap<>();
    if (o != null) {
      o.forEach(e -> m.put(e.getKey(), (String) e.getValue()));
    }
    return Map.copyOf(m);
  }

  static String fileName(String key) {
    return HexFormat.of().formatHex(digest("SHA-256", key.getBytes(StandardCharsets.UTF_8))) + OBJECT_SUFFIX;
  }

  /** The S3 ETag of a single-part object: the quoted hex MD5 of its content. */
  public static String etag(byte[] body) {
    return "\"" + HexFormat.of().formatHex(digest("MD5", body)) + "\"";
  }

  static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JVM", e);
    }
  }

  static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> all = new ArrayList<>(s.toList());
      all.sort(null);
      return all;
    }
  }
}
