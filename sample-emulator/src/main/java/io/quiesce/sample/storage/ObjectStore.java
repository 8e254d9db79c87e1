package io.quiesce.sample.storage;

import io.quiesce.sample.storage.StoreException.Reason;
import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
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

  /**
   * What is stored about an object besides its bytes. {@code etag} is quoted, as in HTTP;
   * {@code md5} is the hex MD5 of the content (the ETag's value, except for a multipart object,
   * whose ETag is {@code "md5-of-part-md5s-N"}).
   */
  public record StoredObject(String key, long size, String etag, Instant lastModified,
      Map<String, String> headers, Map<String, String> metadata, String md5) {}

  /** A multipart upload in progress: what the object will be once completed. */
  public record MultipartInfo(String uploadId, String key, Instant initiated, Map<String, String> headers,
      Map<String, String> metadata) {}

  /** An acknowledged part of a multipart upload. {@code etag} is quoted; {@code md5} its raw bytes. */
  public record PartInfo(int number, String etag, long size, Instant lastModified) {}

  /** A bucket, when it was created and its region (its CreateBucket {@code LocationConstraint}, {@code us-east-1} if none). */
  public record BucketInfo(String name, Instant created, String region) {}

  /** The region of a bucket created without a {@code LocationConstraint}, and of buckets stored before regions were. */
  public static final String DEFAULT_REGION = "us-east-1";

  /** Which bytes of an object to read. */
  public record Slice(long start, long length) {}

  /** An object's attributes with the requested bytes of its content. */
  public record Content(StoredObject object, Slice slice, byte[] bytes) {}

  private static final String BUCKET_FILE = "bucket.rec";
  private static final String OBJECT_SUFFIX = ".obj";
  private static final Pattern OBJECT_NAME = Pattern.compile("[0-9a-f]{64}\\.obj");
  /** The checksum headers an {@link Upload} can add once its bytes are known. */
  public static final List<String> CHECKSUM_HEADERS = List.of("x-amz-checksum-crc32", "x-amz-checksum-crc32c",
      "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1", "x-amz-checksum-sha256");
  /** The longest checksum value stored: base64 of SHA-256 is 44 characters. */
  public static final int MAX_CHECKSUM_CHARS = 64;
  private static final String UPLOADS_DIR = "uploads";
  private static final String UPLOAD_FILE = "upload.rec";
  private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern PART_NAME = Pattern.compile("(\\d{1,5})\\.part");

  private final Path root; // null: in memory
  private final DurableFiles files; // null: in memory
  private final Map<String, Bucket> buckets = new TreeMap<>(); // guarded by this

  private static final class Bucket {
    final String name;
    final Instant created;
    final String region;
    final Path dir;
    final TreeMap<String, Entry> objects = new TreeMap<>(); // guarded by this bucket
    final TreeMap<String, Multipart> uploads = new TreeMap<>(); // by upload id; guarded by this bucket
    boolean deleted; // guarded by this bucket

    Bucket(String name, Instant created, String region, Path dir) {
      this.name = name;
      this.created = created;
      this.region = region;
      this.dir = dir;
    }
  }

  /** {@code body} is only kept in memory mode; on disk the file is the content. */
  private record Entry(StoredObject object, byte[] body) {}

  /** An upload in progress; its parts are entries keyed by part number. Guarded by its bucket. */
  private static final class Multipart {
    final MultipartInfo info;
    final Path dir; // null in memory
    final TreeMap<Integer, Entry> parts = new TreeMap<>();

    Multipart(MultipartInfo info, Path dir) {
      this.info = info;
      this.dir = dir;
    }
  }

  private ObjectStore(Path root, DurableFiles files) {
    this.root = root;
    this.files = files;
  }

  static ObjectStore inMemory() {
    return new ObjectStore(null, null);
  }

  /** Reads every bucket and object header under {@code dir}; collects our crash leftovers. */
  static ObjectStore load(Path dir, DurableFiles files, List<Path> leftovers) throws IOException, CorruptDataException {
    ObjectStore store = new ObjectStore(dir, files);
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
      Bucket bucket = new Bucket(name, Instant.ofEpochMilli(b.getLong("created", 0L)),
          b.getString("region", DEFAULT_REGION), bucketDir);
      for (Path file : list(bucketDir)) {
        String fileName = file.getFileName().toString();
        if (DurableFiles.isLeftover(file)) {
          leftovers.add(file);
        } else if (fileName.equals(BUCKET_FILE)) {
          continue;
        } else if (fileName.equals(UPLOADS_DIR) && Files.isDirectory(file)) {
          loadUploads(bucket, file, leftovers);
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

  private static void loadUploads(Bucket bucket, Path dir, List<Path> leftovers) throws IOException, CorruptDataException {
    for (Path uploadDir : list(dir)) {
      String id = uploadDir.getFileName().toString();
      if (DurableFiles.isLeftover(uploadDir)) {
        leftovers.add(uploadDir);
        continue;
      }
      if (!UPLOAD_ID.matcher(id).matches() || !Files.isRegularFile(uploadDir.resolve(UPLOAD_FILE))) {
        throw new CorruptDataException(uploadDir, "unexpected entry where only multipart uploads belong");
      }
      JsonObject u = RecordFile.read(uploadDir.resolve(UPLOAD_FILE), "upload").json();
      Multipart m = new Multipart(new MultipartInfo(id, u.getString("key"), Instant.ofEpochMilli(u.getLong("initiated")),
          strings(u.getJsonObject("headers")), strings(u.getJsonObject("metadata"))), uploadDir);
      for (Path file : list(uploadDir)) {
        java.util.regex.Matcher part = PART_NAME.matcher(file.getFileName().toString());
        if (DurableFiles.isLeftover(file)) {
          leftovers.add(file);
        } else if (part.matches()) {
          m.parts.put(Integer.parseInt(part.group(1)), new Entry(fromHeader(file, RecordFile.read(file, "object")), null));
        } else if (!file.getFileName().toString().equals(UPLOAD_FILE)) {
          throw new CorruptDataException(file, "unexpected file in a multipart upload's directory");
        }
      }
      bucket.uploads.put(id, m);
    }
  }

  public synchronized List<BucketInfo> buckets() {
    return buckets.values().stream().map(b -> new BucketInfo(b.name, b.created, b.region)).toList();
  }

  /** The bucket's attributes. */
  public synchronized BucketInfo bucketInfo(String name) throws StoreException {
    Bucket b = bucket(name);
    return new BucketInfo(b.name, b.created, b.region);
  }

  public synchronized boolean exists(String bucket) {
    return buckets.containsKey(bucket);
  }

  /** Creates a bucket in {@link #DEFAULT_REGION}. */
  public BucketInfo createBucket(String name) throws StoreException, IOException {
    return createBucket(name, DEFAULT_REGION);
  }

  /** Creates a bucket located in {@code region}; CONTAINER_EXISTS if the name is taken. */
  public synchronized BucketInfo createBucket(String name, String region) throws StoreException, IOException {
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
      files.replace(tmp.resolve(BUCKET_FILE),
          RecordFile.encode("bucket", new JsonObject().put("name", name).put("created", created.toEpochMilli()).put("region", region), 0));
      Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      files.syncDirectory(root);
    }
    buckets.put(name, new Bucket(name, created, region, dir));
    return new BucketInfo(name, created, region);
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
          files.deleteTree(bucket.dir);
        }
      }
    }
  }

  /** Stores {@code body} under {@code key}, replacing what was there; durable when it returns. */
  public StoredObject put(String bucketName, String key, Map<String, String> headers, Map<String, String> metadata,
      byte[] body) throws StoreException, IOException {
    try (Upload upload = beginPut(bucketName, key, headers, metadata)) {
      upload.write(ByteBuffer.wrap(body));
      return upload.commit();
    }
  }

  /**
   * Starts replacing the object under {@code key}: its bytes go to a temp file as they are written
   * (in memory mode, to the buffer that becomes the object), the MD5 computed on the way; nothing is
   * visible until {@link Upload#commit}. Fails at once when the bucket does not exist.
   */
  public Upload beginPut(String bucketName, String key, Map<String, String> headers, Map<String, String> metadata)
      throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      checkAlive(bucket);
    }
    return new Upload(bucket, key, Map.copyOf(headers), Map.copyOf(metadata));
  }

  /**
   * An object being written. Single-threaded: one call at a time (successive calls may come from
   * different threads, as long as each happens after the previous one). Close it always: closing
   * an upload that was not committed removes its temp file.
   */
  public final class Upload implements Closeable {
    private final Bucket bucket;
    private final String key;
    private Map<String, String> headers;
    private final Map<String, String> metadata;
    private final MessageDigest md5 = newDigest("MD5");
    private final Path tmp; // null in memory
    private final FileChannel channel; // null in memory
    private final int headerLength;
    private final java.io.ByteArrayOutputStream memory; // null on disk
    private long size;
    private byte[] digest;
    private boolean committed;

    private final Multipart multipart; // null: an object
    private final int partNumber;

    private Upload(Bucket bucket, String key, Map<String, String> headers, Map<String, String> metadata) throws IOException {
      this(bucket, key, headers, metadata, null, 0);
    }

    private Upload(Bucket bucket, String key, Map<String, String> headers, Map<String, String> metadata,
        Multipart multipart, int partNumber) throws IOException {
      this.multipart = multipart;
      this.partNumber = partNumber;
      this.bucket = bucket;
      this.key = key;
      this.headers = headers;
      this.metadata = metadata;
      if (root == null) {
        tmp = null;
        channel = null;
        headerLength = 0;
        memory = new java.io.ByteArrayOutputStream();
        return;
      }
      memory = null;
      // The header comes first in the file but its length and ETag are known only at the end:
      // reserve the widest it can be and write it last (see RecordFile#encodePadded).
      Map<String, String> widest = new LinkedHashMap<>(headers);
      for (String name : CHECKSUM_HEADERS) {
        widest.put(name, "0".repeat(MAX_CHECKSUM_CHARS)); // room for what addChecksums may add
      }
      headerLength = RecordFile.reservedLength("object", toHeader(new StoredObject(key, Long.MAX_VALUE,
          "\"" + "0".repeat(32) + "-10000\"", Instant.ofEpochMilli(Long.MAX_VALUE), widest, metadata, "0".repeat(32))));
      tmp = (multipart == null ? bucket.dir : multipart.dir).resolve(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
      channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        channel.position(headerLength);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }

    /** Appends the remaining bytes of {@code src}. */
    public void write(ByteBuffer src) throws IOException {
      if (digest != null) {
        throw new IllegalStateException("the upload is finished");
      }
      size += src.remaining();
      md5.update(src.duplicate());
      if (channel == null) {
        byte[] b = new byte[src.remaining()];
        src.get(b);
        memory.write(b, 0, b.length);
        return;
      }
      while (src.hasRemaining()) {
        channel.write(src);
      }
    }

    /**
     * Adds {@code x-amz-checksum-*} values, known only once every byte is written, to the headers
     * stored with the object; names from {@link #CHECKSUM_HEADERS}, values of at most
     * {@link #MAX_CHECKSUM_CHARS} characters.
     */
    public void addChecksums(Map<String, String> checksums) {
      Map<String, String> all = new LinkedHashMap<>(headers);
      checksums.forEach((name, value) -> {
        if (!CHECKSUM_HEADERS.contains(name) || value.length() > MAX_CHECKSUM_CHARS) {
          throw new IllegalArgumentException("not a checksum header: " + name);
        }
        all.put(name, value);
      });
      headers = Map.copyOf(all);
    }

    /** Bytes written so far. */
    public long size() {
      return size;
    }

    /** The MD5 of everything written; no more writes after this. */
    public byte[] md5() {
      if (digest == null) {
        digest = md5.digest();
      }
      return digest.clone();
    }

    /**
     * Makes the object durable and visible under its key, replacing what was there.
     *
     * @throws StoreException if the bucket was deleted meanwhile (nothing is stored)
     */
    public StoredObject commit() throws StoreException, IOException {
      return commit(current -> { });
    }

    /**
     * As {@link #commit()}, once {@code precondition} accepts the object the key names at that
     * moment (null: none). It runs under the bucket's lock, atomically with the replacement, so
     * a create-if-absent cannot be lost to a concurrent writer; whatever it throws aborts the
     * commit and nothing is stored.
     */
    public StoredObject commit(java.util.function.Consumer<StoredObject> precondition) throws StoreException, IOException {
      return commit(precondition, null);
    }

    private StoredObject commit(java.util.function.Consumer<StoredObject> precondition, String etag)
        throws StoreException, IOException {
      String md5Hex = HexFormat.of().formatHex(md5());
      StoredObject object = new StoredObject(key, size, etag != null ? etag : "\"" + md5Hex + "\"", Instant.now(),
          headers, metadata, md5Hex);
      if (channel == null) {
        synchronized (bucket) {
          checkAlive(bucket);
          if (multipart != null) {
            checkUpload(bucket, multipart);
            multipart.parts.put(partNumber, new Entry(object, memory.toByteArray()));
          } else {
            precondition.accept(current(bucket, key));
            bucket.objects.put(key, new Entry(object, memory.toByteArray()));
          }
        }
        committed = true;
        return object;
      }
      ByteBuffer header = ByteBuffer.wrap(RecordFile.encodePadded("object", toHeader(object), size, headerLength));
      while (header.hasRemaining()) {
        channel.write(header, header.position());
      }
      files.force(channel, tmp);
      channel.close();
      synchronized (bucket) {
        // Rename and index change under one lock: concurrent writers of one key end with the index
        // naming the file that won on disk.
        checkAlive(bucket);
        if (multipart != null) {
          checkUpload(bucket, multipart);
          DurableFiles.commit(tmp, multipart.dir.resolve(partNumber + ".part"));
          multipart.parts.put(partNumber, new Entry(object, null));
        } else {
          precondition.accept(current(bucket, key));
          DurableFiles.commit(tmp, bucket.dir.resolve(fileName(key)));
          bucket.objects.put(key, new Entry(object, null));
        }
        committed = true;
      }
      files.syncDirectory(multipart == null ? bucket.dir : multipart.dir);
      return object;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
        if (!committed) {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }

  private static void checkUpload(Bucket bucket, Multipart m) throws StoreException {
    if (bucket.uploads.get(m.info.uploadId()) != m) {
      throw noSuchUpload(m.info.uploadId());
    }
  }

  private static StoreException noSuchUpload(String id) {
    return new StoreException(Reason.NO_SUCH_UPLOAD, "no multipart upload " + id);
  }

  /** Starts a multipart upload of {@code key}; durable when it returns. */
  public MultipartInfo createMultipart(String bucketName, String key, Map<String, String> headers,
      Map<String, String> metadata) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    String id = UUID.randomUUID().toString().replace("-", "");
    MultipartInfo info = new MultipartInfo(id, key, Instant.now(), Map.copyOf(headers), Map.copyOf(metadata));
    Path dir = null;
    if (root != null) {
      Path uploads = bucket.dir.resolve(UPLOADS_DIR);
      synchronized (bucket) {
        checkAlive(bucket);
        files.createDirectory(uploads);
      }
      // Built under a temp name and renamed into place, as a bucket is.
      Path tmp = uploads.resolve(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
      Files.createDirectory(tmp);
      files.replace(tmp.resolve(UPLOAD_FILE), RecordFile.encode("upload", new JsonObject().put("key", key)
          .put("initiated", info.initiated().toEpochMilli())
          .put("headers", new JsonObject(new LinkedHashMap<>(headers)))
          .put("metadata", new JsonObject(new LinkedHashMap<>(metadata))), 0));
      dir = uploads.resolve(id);
      synchronized (bucket) {
        checkAlive(bucket);
        Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        bucket.uploads.put(id, new Multipart(info, dir));
      }
      files.syncDirectory(uploads);
      return info;
    }
    synchronized (bucket) {
      checkAlive(bucket);
      bucket.uploads.put(id, new Multipart(info, null));
    }
    return info;
  }

  /**
   * Starts writing part {@code number} of an upload (see {@link Upload}); committing it replaces
   * a part of that number and is durable when it returns. NO_SUCH_UPLOAD once the upload is
   * completed or aborted.
   */
  public Upload beginPart(String bucketName, String uploadId, int number) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    Multipart m;
    synchronized (bucket) {
      checkAlive(bucket);
      m = multipart(bucket, uploadId);
    }
    try {
      return new Upload(bucket, m.info.key(), Map.of(), Map.of(), m, number);
    } catch (NoSuchFileException aborted) {
      throw noSuchUpload(uploadId); // completed or aborted since it was looked up
    }
  }

  /** The upload and its acknowledged parts in part-number order. */
  public Map.Entry<MultipartInfo, List<PartInfo>> parts(String bucketName, String uploadId) throws StoreException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      Multipart m = multipart(bucket, uploadId);
      return Map.entry(m.info, partInfos(m));
    }
  }

  /** The uploads in progress in a bucket, by key then initiation. */
  public List<MultipartInfo> uploads(String bucketName) throws StoreException {
    Bucket bucket = bucketSync(bucketName);
    synchronized (bucket) {
      return bucket.uploads.values().stream().map(m -> m.info)
          .sorted(java.util.Comparator.comparing(MultipartInfo::key).thenComparing(MultipartInfo::initiated)).toList();
    }
  }

  /** Aborts an upload: its parts are deleted; NO_SUCH_UPLOAD if there is none. */
  public void abort(String bucketName, String uploadId) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    Multipart m;
    synchronized (bucket) {
      checkAlive(bucket);
      m = multipart(bucket, uploadId);
      bucket.uploads.remove(uploadId);
      if (m.dir != null) {
        files.deleteTree(m.dir);
      }
    }
  }

  /**
   * Completes an upload: {@code choose} sees its parts (under the bucket's lock) and names those
   * that make the object, in order, or throws to refuse; the chosen parts are copied into the
   * object (the parts stay intact until it is durable), which gets {@code etag}, and the upload
   * is then removed. {@code precondition} is as for {@link Upload#commit(java.util.function.Consumer)}.
   */
  public StoredObject complete(String bucketName, String uploadId,
      java.util.function.Function<List<PartInfo>, List<Integer>> choose, java.util.function.Function<List<PartInfo>, String> etag,
      java.util.function.Consumer<StoredObject> precondition) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    Multipart m;
    List<Entry> chosen = new ArrayList<>();
    List<PartInfo> chosenInfo = new ArrayList<>();
    List<FileChannel> opened = new ArrayList<>();
    try {
      synchronized (bucket) {
        checkAlive(bucket);
        m = multipart(bucket, uploadId);
        for (int n : choose.apply(partInfos(m))) {
          Entry e = m.parts.get(n);
          chosen.add(e);
          chosenInfo.add(partInfo(n, e));
          if (m.dir != null) {
            // Opened under the lock: a part replaced from now on does not change this object.
            opened.add(FileChannel.open(m.dir.resolve(n + ".part"), StandardOpenOption.READ));
          }
        }
      }
      StoredObject object;
      try (Upload out = new Upload(bucket, m.info.key(), m.info.headers(), m.info.metadata())) {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < chosen.size(); i++) {
          Entry e = chosen.get(i);
          if (e.body() != null) {
            out.write(ByteBuffer.wrap(e.body()));
            continue;
          }
          FileChannel ch = opened.get(i);
          Path file = m.dir.resolve(chosenInfo.get(i).number() + ".part");
          RecordFile.Header h = RecordFile.read(ch, file, "object");
          MessageDigest md5 = newDigest("MD5");
          for (long pos = 0; pos < h.bodyLength(); ) {
            buf.clear().limit((int) Math.min(buf.capacity(), h.bodyLength() - pos));
            int r = ch.read(buf, h.bodyOffset() + pos);
            if (r < 0) {
              throw new IOException(file + " ended before its declared length");
            }
            pos += r;
            buf.flip();
            md5.update(buf.duplicate());
            out.write(buf);
          }
          if (!HexFormat.of().formatHex(md5.digest()).equals(e.object().md5())) {
            throw new IOException(file + " is corrupt: its content does not hash to its stored MD5");
          }
        }
        object = out.commit(precondition, etag.apply(chosenInfo));
      }
      synchronized (bucket) {
        if (bucket.uploads.get(uploadId) == m) {
          bucket.uploads.remove(uploadId);
          if (m.dir != null) {
            files.deleteTree(m.dir);
          }
        }
      }
      return object;
    } catch (CorruptDataException corrupt) {
      throw new IOException(corrupt.getMessage(), corrupt);
    } finally {
      for (FileChannel ch : opened) {
        ch.close();
      }
    }
  }

  private static Multipart multipart(Bucket bucket, String uploadId) throws StoreException {
    Multipart m = bucket.uploads.get(uploadId);
    if (m == null) {
      throw noSuchUpload(uploadId);
    }
    return m;
  }

  private static List<PartInfo> partInfos(Multipart m) {
    return m.parts.entrySet().stream().map(e -> partInfo(e.getKey(), e.getValue())).toList();
  }

  private static PartInfo partInfo(int number, Entry e) {
    return new PartInfo(number, e.object().etag(), e.object().size(), e.object().lastModified());
  }

  private static StoredObject current(Bucket bucket, String key) {
    Entry e = bucket.objects.get(key);
    return e == null ? null : e.object();
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
   * An object opened for reading: its attributes and its bytes come from one open file (one
   * version), even while the key is being replaced or deleted. Thread-safe reads; close it.
   */
  public static final class OpenObject implements Closeable {
    private final StoredObject object;
    private final Path file; // null in memory
    private final FileChannel channel; // null in memory
    private final long bodyOffset;
    private final byte[] body; // in memory only

    private OpenObject(StoredObject object, Path file, FileChannel channel, long bodyOffset, byte[] body) {
      this.object = object;
      this.file = file;
      this.channel = channel;
      this.bodyOffset = bodyOffset;
      this.body = body;
    }

    public StoredObject object() {
      return object;
    }

    /** Where the object is stored, for log lines: its file, or "memory". */
    public String location() {
      return file == null ? "memory" : file.toString();
    }

    /** Reads body bytes from {@code position} into {@code dst} until it is full or the body ends; the count read. */
    public int read(long position, ByteBuffer dst) throws IOException {
      int n = (int) Math.min(dst.remaining(), Math.max(0, object.size() - position));
      if (body != null) {
        dst.put(body, (int) position, n);
        return n;
      }
      int read = 0;
      while (read < n) {
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + (n - read));
        int r = channel.read(window, bodyOffset + position + read);
        if (r < 0) {
          throw new IOException(file + " ended before its declared length");
        }
        dst.position(dst.position() + r);
        read += r;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** Opens an object for reading (see {@link OpenObject}). */
  public OpenObject open(String bucketName, String key) throws StoreException, IOException {
    Bucket bucket = bucketSync(bucketName);
    Entry e;
    synchronized (bucket) {
      e = bucket.objects.get(key);
    }
    if (e == null) {
      throw noSuchKey(key);
    }
    if (root == null) {
      return new OpenObject(e.object(), null, null, 0, e.body());
    }
    Path file = bucket.dir.resolve(fileName(key));
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException gone) {
      throw noSuchKey(key); // deleted meanwhile
    }
    try {
      // The file names its own attributes: read them from it, not from the index.
      RecordFile.Header header = RecordFile.read(ch, file, "object");
      return new OpenObject(fromHeader(file, header), file, ch, header.bodyOffset(), null);
    } catch (CorruptDataException corrupt) {
      ch.close();
      throw new IOException(corrupt.getMessage(), corrupt);
    } catch (IOException | RuntimeException failed) {
      ch.close();
      throw failed;
    }
  }

  /**
   * Reads an object's attributes and the bytes {@code slicer} chooses given its size (it may throw
   * to refuse a range), both from one version of the object even while it is being replaced.
   */
  public Content get(String bucketName, String key, LongFunction<Slice> slicer) throws StoreException, IOException {
    try (OpenObject o = open(bucketName, key)) {
      Slice s = slicer.apply(o.object().size());
      ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(s.length()));
      o.read(s.start(), bytes);
      return new Content(o.object(), s, bytes.array());
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
      files.syncDirectory(bucket.dir);
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
        .put("md5", o.md5())
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
          strings(h.getJsonObject("headers")), strings(h.getJsonObject("metadata")),
          h.getString("md5", etag.replace("\"", "")));
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
    return newDigest(algorithm).digest(data);
  }

  static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
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
