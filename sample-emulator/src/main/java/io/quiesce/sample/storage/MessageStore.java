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
 * The durable side of queues: which queues exist and which messages were accepted and not yet
 * deleted. SQS queues are queues here, and so are Pub/Sub subscriptions (a topic is a queue that
 * never holds a message). Delivery state (visibility, receipt handles) lives in memory only: after a restart every
 * stored message is visible again, as after a visibility timeout.
 *
 * <p>On disk, {@code sqs/<queue>/queue.rec} describes a queue and each message is its own
 * {@link RecordFile} {@code sqs/<queue>/<sequence>.msg}, written atomically before the send is
 * acknowledged and deleted before a delete is: no lost, torn or duplicated message after a crash.
 * Every method may block: call it from a worker thread. In memory mode every method is a no-op.
 */
public final class MessageStore {

  /** A queue as created: its name, creation time and attributes. */
  public record StoredQueue(String name, Instant created, Map<String, String> attributes) {}

  /** One accepted message; {@code seq} orders messages within a queue. */
  public record StoredMessage(String id, long seq, String body, String md5, long sentMillis) {}

  /** A queue with its messages in sequence order, as found at startup. */
  public record LoadedQueue(StoredQueue queue, List<StoredMessage> messages) {}

  private static final String QUEUE_FILE = "queue.rec";
  private static final Pattern MESSAGE_NAME = Pattern.compile("\\d{19}\\.msg");

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
      for (Path file : ObjectStore.list(queueDir)) {
        String name = file.getFileName().toString();
        if (DurableFiles.isLeftover(file)) {
          leftovers.add(file);
        } else if (name.equals(QUEUE_FILE)) {
          continue;
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
      queues.add(new LoadedQueue(queue, messages));
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
    files.replace(tmp.resolve(QUEUE_FILE), RecordFile.encode("queue", new JsonObject()
        .put("name", queue.name())
        .put("created", queue.created().toEpochMilli())
        .put("attributes", new JsonObject(new LinkedHashMap<>(queue.attributes()))), 0));
    Files.move(tmp, root.resolve(queue.name()), StandardCopyOption.ATOMIC_MOVE);
    files.syncDirectory(root);
  }

  /** Replaces a queue's stored settings (SetQueueAttributes); durable when it returns. */
  public void updateQueue(StoredQueue queue) throws IOException {
    if (root == null) {
      return;
    }
    files.replace(root.resolve(queue.name()).resolve(QUEUE_FILE), RecordFile.encode("queue", new JsonObject()
        .put("name", queue.name())
        .put("created", queue.created().toEpochMilli())
        .put("attributes", new JsonObject(new LinkedHashMap<>(queue.attributes()))), 0));
  }

  public void deleteQueue(String name) throws IOException {
    if (root != null && Files.isDirectory(root.resolve(name))) {
      files.deleteTree(root.resolve(name));
    }
  }

  /** Stores messages durably, with one directory sync for all of them. */
  public void save(String queue, Collection<StoredMessage> messages) throws IOException {
    if (root == null) {
      return;
    }
    Path dir = root.resolve(queue);
    List<Path> temps = new ArrayList<>();
    try {
      for (StoredMessage m : messages) {
        JsonObject h = new JsonObject().put("id", m.id()).put("seq", m.seq()).put("body", m.body())
            .put("md5", m.md5()).put("sent", m.sentMillis());
        temps.add(files.writeTemp(dir, RecordFile.encode("message", h, 0)));
      }
      int i = 0;
      for (StoredMessage m : messages) {
        DurableFiles.commit(temps.get(i++), dir.resolve(fileName(m.seq())));
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
    if (root == null || seqs.isEmpty()) {
      return;
    }
    Path dir = root.resolve(queue);
    for (long seq : seqs) {
      Files.deleteIfExists(dir.resolve(fileName(seq)));
    }
    files.syncDirectory(dir);
  }

  /** The MD5 a stored message carries of its body, in hex: what startup checks the body against. */
  public static String bodyMd5(String body) {
    return HexFormat.of().formatHex(ObjectStore.digest("MD5", body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String fileName(long seq) {
    return String.format("%019d.msg", seq);
  }

  private static StoredQueue queueFrom(Path file, JsonObject h) throws CorruptDataException {
    try {
      Map<String, String> attributes = new LinkedHashMap<>();
      h.getJsonObject("attributes", new JsonObject()).forEach(e -> attributes.put(e.getKey(), (String) e.getValue()));
      String name = h.getString("name");
      if (name == null) {
        throw new CorruptDataException(file, "the queue header has no name");
      }
      return new StoredQueue(name, Instant.ofEpochMilli(h.getLong("created", 0L)), Map.copyOf(attributes));
    } catch (ClassCastException e) {
      throw new CorruptDataException(file, "the queue header has a field of the wrong type");
    }
  }

  private static StoredMessage messageFrom(Path file, JsonObject h) throws CorruptDataException {
    try {
      StoredMessage m = new StoredMessage(h.getString("id"), h.getLong("seq"), h.getString("body"), h.getString("md5"),
          h.getLong("sent"));
      if (m.id() == null || m.body() == null || m.md5() == null) {
        throw new CorruptDataException(file, "the message header lacks its id, body or md5");
      }
      // A message body is small and read whole at startup: check it here, before it can be served.
      String actual = bodyMd5(m.body());
      if (!actual.equals(m.md5())) {
        throw new CorruptDataException(file, "the message body does not match its stored MD5 " + m.md5() + " (it hashes to " + actual + ")");
      }
      return m;
    } catch (ClassCastException | NullPointerException e) {
      throw new CorruptDataException(file, "the message header has a field of the wrong type");
    }
  }
}
