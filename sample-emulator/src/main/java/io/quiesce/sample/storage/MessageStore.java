package io.quiesce.sample.storage;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The durable side of queues: which queues exist (with their settings and tags), which messages
 * were accepted and not yet deleted, and which deduplication ids of FIFO queues were seen. Delivery
 * state (visibility, receipt handles, receive counts) lives in memory only: after a restart every
 * stored message is visible again, as after a visibility timeout.
 *
 * <p>On disk, {@code sqs/<queue>/queue.rec} describes a queue and each message is its own
 * {@link RecordFile} {@code sqs/<queue>/<sequence>.msg}, written atomically before the send is
 * acknowledged and deleted before a delete is: no lost, torn or duplicated message after a crash.
 * A FIFO send also writes {@code <sequence>.dedup}, which outlives its message until the
 * deduplication window is over. Fields added since the first format (a message's {@code meta}, a
 * queue's {@code tags}) are optional, so a data directory written before them still loads.
 * Every method may block: call it from a worker thread. In memory mode every method is a no-op.
 */
public final class MessageStore {

  /** A queue as created: its name, creation time, attributes and tags. */
  public record StoredQueue(String name, Instant created, Map<String, String> attributes, Map<String, String> tags) {}

  /**
   * One accepted message; {@code seq} orders messages within a queue. {@code meta} is what the
   * queue service keeps with it besides the body (message attributes, group, delay), stored as
   * given and never interpreted here; empty for messages stored before it existed.
   */
  public record StoredMessage(String id, long seq, String body, String md5, long sentMillis, JsonObject meta) {}

  /** A deduplication id of a FIFO queue, seen at {@code sentMillis} for message {@code messageId}. */
  public record StoredDedup(String key, String messageId, long seq, long sentMillis) {}

  /** A queue with its messages in sequence order and its deduplication ids, as found at startup. */
  public record LoadedQueue(StoredQueue queue, List<StoredMessage> messages, List<StoredDedup> dedups) {}

  private static final String QUEUE_FILE = "queue.rec";
  private static final Pattern MESSAGE_NAME = Pattern.compile("\\d{19}\\.msg");
  private static final Pattern DEDUP_NAME = Pattern.compile("\\d{19}\\.dedup");

  private final Path root; // null: in memory
  private final DurableFiles files; // null: in memory
  private final List<LoadedQueue> loaded;

  private MessageStore(Path root, DurableFiles files, List<LoadedQueue> loaded) {
    this.root = root;
    this.files = files;
    this.loaded = List.copyOf(loaded);
  }

  static MessageStore inMemory() {
    return new MessageStore(null, null, List.of());
  }

  static MessageStore load(Path dir, DurableFiles files, List<Path> leftovers) throws IOException, CorruptDataException {
    List<LoadedQueue> queues = new ArrayList<>();
    for (Path queueDir : ObjectStore.list(dir)) {
      if (DurableFiles.isLeftover(queueDir)) {
        leftovers.add(queueDir);
        continue;
      }
      Path marker = queueDir.resolve(QUEUE_FILE);
      if (!Files.isDirectory(queueDir) || !Files.isRegularFile(marker)) {
        throw new CorruptDataException(queueDir, "not a queue of this emulator (a queue is a directory with " + QUEUE_FILE + ")");
      }
      StoredQueue queue = queueFrom(marker, RecordFile.read(marker, "queue").json());
      if (!queue.name().equals(queueDir.getFileName().toString())) {
        throw new CorruptDataException(marker, "names queue \"" + queue.name() + "\" but lies in directory \"" + queueDir.getFileName() + "\"");
      }
      List<StoredMessage> messages = new ArrayList<>();
      List<StoredDedup> dedups = new ArrayList<>();
      for (Path file : ObjectStore.list(queueDir)) {
        String name = file.getFileName().toString();
        if (DurableFiles.isLeftover(file)) {
          leftovers.add(file);
        } else if (name.equals(QUEUE_FILE)) {
          continue;
        } else if (DEDUP_NAME.matcher(name).matches() && Files.isRegularFile(file)) {
          dedups.add(dedupFrom(file, RecordFile.read(file, "dedup").json()));
        } else if (!MESSAGE_NAME.matcher(name).matches() || !Files.isRegularFile(file)) {
          throw new CorruptDataException(file, "unexpected file in a queue directory");
        } else {
          StoredMessage m = messageFrom(file, RecordFile.read(file, "message").json());
          if (!name.equals(fileName(m.seq()))) {
            throw new CorruptDataException(file, "holds message number " + m.seq() + ", which belongs in " + fileName(m.seq()));
          }
          messages.add(m);
        }
      }
      queues.add(new LoadedQueue(queue, messages, dedups));
    }
    return new MessageStore(dir, files, queues);
  }

  /** What was found in the data directory at startup (empty in memory mode). */
  public List<LoadedQueue> loaded() {
    return loaded;
  }

  public void createQueue(StoredQueue queue) throws IOException {
    if (root == null) {
      return;
    }
    Path tmp = root.resolve(DurableFiles.TEMP_PREFIX + UUID.randomUUID());
    Files.createDirectory(tmp);
    files.replace(tmp.resolve(QUEUE_FILE), queueRecord(queue));
    Files.move(tmp, root.resolve(queue.name()), StandardCopyOption.ATOMIC_MOVE);
    files.syncDirectory(root);
  }

  /** Replaces a queue's stored settings and tags; durable when it returns. */
  public void updateQueue(StoredQueue queue) throws IOException {
    if (root == null) {
      return;
    }
    files.replace(root.resolve(queue.name()).resolve(QUEUE_FILE), queueRecord(queue));
  }

  private static byte[] queueRecord(StoredQueue queue) {
    return RecordFile.encode("queue", new JsonObject()
        .put("name", queue.name())
        .put("created", queue.created().toEpochMilli())
        .put("attributes", new JsonObject(new LinkedHashMap<>(queue.attributes())))
        .put("tags", new JsonObject(new LinkedHashMap<>(queue.tags()))), 0);
  }

  public void deleteQueue(String name) throws IOException {
    if (root != null && Files.isDirectory(root.resolve(name))) {
      files.deleteTree(root.resolve(name));
    }
  }

  /** Stores messages durably, with one directory sync for all of them. */
  public void save(String queue, Collection<StoredMessage> messages) throws IOException {
    save(queue, messages, List.of());
  }

  /** Stores messages and the deduplication ids they were sent with durably, with one directory sync for all. */
  public void save(String queue, Collection<StoredMessage> messages, Collection<StoredDedup> dedups) throws IOException {
    if (root == null) {
      return;
    }
    Path dir = root.resolve(queue);
    List<Path> temps = new ArrayList<>();
    List<Path> targets = new ArrayList<>();
    try {
      for (StoredMessage m : messages) {
        JsonObject h = new JsonObject().put("id", m.id()).put("seq", m.seq()).put("body", m.body())
            .put("md5", m.md5()).put("sent", m.sentMillis());
        if (!m.meta().isEmpty()) {
          h.put("meta", m.meta());
        }
        temps.add(files.writeTemp(dir, RecordFile.encode("message", h, 0)));
        targets.add(dir.resolve(fileName(m.seq())));
      }
      for (StoredDedup d : dedups) {
        JsonObject h = new JsonObject().put("key", d.key()).put("message_id", d.messageId()).put("seq", d.seq())
            .put("sent", d.sentMillis());
        temps.add(files.writeTemp(dir, RecordFile.encode("dedup", h, 0)));
        targets.add(dir.resolve(dedupFileName(d.seq())));
      }
      for (int i = 0; i < temps.size(); i++) {
        DurableFiles.commit(temps.get(i), targets.get(i));
      }
    } catch (IOException e) {
      for (Path t : temps) {
        Files.deleteIfExists(t);
      }
      throw e;
    }
    files.syncDirectory(dir);
  }

  /** Deletes messages durably, with one directory sync for all of them. */
  public void delete(String queue, Collection<Long> seqs) throws IOException {
    deleteFiles(queue, seqs, MessageStore::fileName);
  }

  /** Forgets deduplication ids whose window is over, with one directory sync for all of them. */
  public void deleteDedups(String queue, Collection<Long> seqs) throws IOException {
    deleteFiles(queue, seqs, MessageStore::dedupFileName);
  }

  private void deleteFiles(String queue, Collection<Long> seqs, java.util.function.LongFunction<String> name) throws IOException {
    if (root == null || seqs.isEmpty()) {
      return;
    }
    Path dir = root.resolve(queue);
    for (long seq : seqs) {
      Files.deleteIfExists(dir.resolve(name.apply(seq)));
    }
    files.syncDirectory(dir);
  }

  private static String fileName(long seq) {
    return String.format("%019d.msg", seq);
  }

  private static String dedupFileName(long seq) {
    return String.format("%019d.dedup", seq);
  }

  private static StoredQueue queueFrom(Path file, JsonObject h) throws CorruptDataException {
    try {
      Map<String, String> attributes = new LinkedHashMap<>();
      h.getJsonObject("attributes", new JsonObject()).forEach(e -> attributes.put(e.getKey(), (String) e.getValue()));
      Map<String, String> tags = new LinkedHashMap<>();
      h.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), (String) e.getValue()));
      String name = h.getString("name");
      if (name == null) {
        throw new CorruptDataException(file, "the queue header has no name");
      }
      return new StoredQueue(name, Instant.ofEpochMilli(h.getLong("created", 0L)), Map.copyOf(attributes), Map.copyOf(tags));
    } catch (ClassCastException e) {
      throw new CorruptDataException(file, "the queue header has a field of the wrong type");
    }
  }

  private static StoredMessage messageFrom(Path file, JsonObject h) throws CorruptDataException {
    try {
      StoredMessage m = new StoredMessage(h.getString("id"), h.getLong("seq"), h.getString("body"), h.getString("md5"),
          h.getLong("sent"), h.getJsonObject("meta", new JsonObject()));
      if (m.id() == null || m.body() == null || m.md5() == null) {
        throw new CorruptDataException(file, "the message header lacks its id, body or md5");
      }
      // A message body is small and read whole at startup: check it here, before it can be served.
      String actual = HexFormat.of().formatHex(ObjectStore.digest("MD5", m.body().getBytes(StandardCharsets.UTF_8)));
      if (!actual.equals(m.md5())) {
        throw new CorruptDataException(file, "the message body does not match its stored MD5 " + m.md5() + " (it hashes to " + actual + ")");
      }
      return m;
    } catch (ClassCastException | NullPointerException e) {
      throw new CorruptDataException(file, "the message header has a field of the wrong type");
    }
  }

  private static StoredDedup dedupFrom(Path file, JsonObject h) throws CorruptDataException {
    try {
      StoredDedup d = new StoredDedup(h.getString("key"), h.getString("message_id"), h.getLong("seq"), h.getLong("sent"));
      if (d.key() == null || d.messageId() == null) {
        throw new CorruptDataException(file, "the deduplication record lacks its key or message id");
      }
      return d;
    } catch (ClassCastException | NullPointerException e) {
      throw new CorruptDataException(file, "the deduplication record has a field of the wrong type");
    }
  }
}
