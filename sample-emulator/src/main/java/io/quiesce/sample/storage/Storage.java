package io.quiesce.sample.storage;

import io.quiesce.api.ManagedService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The storage that the S3, SQS and Pub/Sub services share, as a managed service registered before them:
 * it opens the data directory, checks and loads everything in it before either service starts, and
 * holds the directory's lock until it stops.
 *
 * <p>A data directory is either empty (it is initialised) or carries {@value #MARKER} (this
 * emulator's). Any foreign or corrupt file makes {@link #start()} fail with a
 * {@link CorruptDataException} naming it, and then nothing in the directory has been changed. Our
 * own crash leftovers (unfinished temp files and deletions) are removed only after everything
 * else loaded. Without a data directory everything is kept in memory.
 */
public final class Storage implements ManagedService {

  /** The file that marks a directory as this emulator's data directory. */
  public static final String MARKER = "quiesce-data.rec";

  private static final Logger LOG = LogManager.getLogger(Storage.class);
  private static final Set<String> TOP_LEVEL = Set.of(MARKER, "s3", "sqs", "pubsub");

  /** Taken while a directory is being initialised, so that two emulators never initialise it both. */
  static final String INIT_LOCK = DurableFiles.TEMP_PREFIX + "init.lock";
  /** How long a start waits for another emulator to finish initialising the same directory. */
  private static final long INIT_WAIT_MILLIS = 10_000;

  private final Vertx vertx;
  private final Optional<Path> dataDir;
  private final DurableFiles files;
  private final MemoryBudget budget;
  private volatile ObjectStore objects;
  private volatile MessageStore messages;
  private volatile MessageStore topics;
  private volatile MessageStore subscriptions;
  private FileChannel lockChannel;
  private FileLock lock;

  public Storage(Vertx vertx, Optional<Path> dataDir) {
    this(vertx, dataDir, FileSync.FSYNC, MemoryBudget.forHeap());
  }

  /** With the fsync and the memory budget of the caller's choice (tests observe or fail fsync through it). */
  public Storage(Vertx vertx, Optional<Path> dataDir, FileSync sync, MemoryBudget budget) {
    this.vertx = vertx;
    this.dataDir = dataDir.map(p -> p.toAbsolutePath().normalize());
    this.files = new DurableFiles(sync);
    this.budget = budget;
  }

  /** What request bodies may hold in memory, shared by S3 and SQS. */
  public MemoryBudget budget() {
    return budget;
  }

  @Override
  public String name() {
    return "storage";
  }

  @Override
  public Future<Void> start() {
    return blocking(() -> {
      if (dataDir.isEmpty()) {
        objects = ObjectStore.inMemory();
        messages = MessageStore.inMemory();
        topics = MessageStore.inMemory();
        subscriptions = MessageStore.inMemory();
        LOG.info("Storage in memory: nothing survives a restart (set emulator.data_dir to keep it)");
      } else {
        open(dataDir.get());
      }
      return null;
    });
  }

  private void open(Path root) throws IOException, CorruptDataException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new CorruptDataException(root, "emulator.data_dir is not a directory");
    }
    Files.createDirectories(root);
    Path marker = root.resolve(MARKER);
    // Another emulator may be initialising it right now (its lock file is there, then s3/ and sqs/,
    // then the marker, then the lock file goes): wait for it rather than take its work for a
    // foreign directory. The marker is looked at again after the lock file, so that its removal in
    // between is seen as the initialisation it ends.
    if (!Files.exists(marker) && (looksFresh(root) || Files.exists(root.resolve(INIT_LOCK)))) {
      initialiseAndLock(root, marker);
    } else if (!Files.isRegularFile(marker)) {
      throw new CorruptDataException(root, "the directory is not empty and has no " + MARKER
          + ": it is not a data directory of this emulator");
    } else {
      lockMarker(root, marker);
    }
    try {
      RecordFile.read(lockChannel, marker, "data-dir");
    } catch (IOException | CorruptDataException | RuntimeException e) {
      releaseLock();
      throw e;
    }
    try {
      List<Path> leftovers = new ArrayList<>();
      for (Path entry : ObjectStore.list(root)) {
        String name = entry.getFileName().toString();
        if (DurableFiles.isLeftover(entry)) {
          leftovers.add(entry);
        } else if (!TOP_LEVEL.contains(name) || (!name.equals(MARKER) && !Files.isDirectory(entry))) {
          throw new CorruptDataException(entry, "unexpected file in the data directory");
        }
      }
      files.createDirectory(root.resolve("s3"));
      files.createDirectory(root.resolve("sqs"));
      files.createDirectory(root.resolve("pubsub").resolve("topics"));
      files.createDirectory(root.resolve("pubsub").resolve("subscriptions"));
      ObjectStore loadedObjects = ObjectStore.load(root.resolve("s3"), files, leftovers);
      MessageStore loadedMessages = MessageStore.load(root.resolve("sqs"), files, leftovers);
      MessageStore loadedTopics = MessageStore.load(root.resolve("pubsub").resolve("topics"), files, leftovers);
      MessageStore loadedSubscriptions = MessageStore.load(root.resolve("pubsub").resolve("subscriptions"), files, leftovers);
      // Only now that everything read back: remove our own unacknowledged writes.
      for (Path leftover : leftovers) {
        DurableFiles.deleteLeftover(leftover);
      }
      objects = loadedObjects;
      messages = loadedMessages;
      topics = loadedTopics;
      subscriptions = loadedSubscriptions;
      LOG.info("Storage loaded {}: {} buckets, {} queues, {} messages, {} topics, {} subscriptions", root,
          loadedObjects.bucketCount(), loadedMessages.loaded().size(),
          loadedMessages.loaded().stream().mapToInt(q -> q.messages().size()).sum(), loadedTopics.loaded().size(),
          loadedSubscriptions.loaded().size());
    } catch (IOException | CorruptDataException | RuntimeException e) {
      releaseLock();
      throw e;
    }
  }

  /** Empty, or holding only our own leftovers (another emulator initialising it, or one that crashed doing so). */
  private static boolean looksFresh(Path root) throws IOException {
    return ObjectStore.list(root).stream().allMatch(DurableFiles::isLeftover);
  }

  /**
   * Initialises a fresh directory under {@link #INIT_LOCK}, so that two emulators started together
   * on it never both do (and neither mistakes the other's temp files for a foreign directory). The
   * one that waited finds the marker once it has the lock and goes on as for any existing directory.
   */
  private void initialiseAndLock(Path root, Path marker) throws IOException, CorruptDataException {
    Path lockFile = root.resolve(INIT_LOCK);
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock initLock = awaitLock(ch, root)) {
      if (Files.exists(marker)) {
        lockMarker(root, marker); // another emulator initialised it while this one waited (and holds it, likely)
        return;
      }
      if (!looksFresh(root)) {
        Files.deleteIfExists(lockFile);
        throw new CorruptDataException(root, "the directory is not empty and has no " + MARKER
            + ": it is not a data directory of this emulator");
      }
      for (Path leftover : ObjectStore.list(root)) {
        if (!leftover.equals(lockFile)) {
          DurableFiles.deleteLeftover(leftover); // a crashed initialisation's
        }
      }
      files.createDirectory(root.resolve("s3"));
      files.createDirectory(root.resolve("sqs"));
      files.replace(marker, RecordFile.encode("data-dir", new JsonObject().put("format", 1), 0)); // last: marks it complete
      lockMarker(root, marker); // before the init lock goes: whoever waited finds it taken
      // Only once the marker exists: a waiter that then locks the deleted file sees the marker.
      Files.deleteIfExists(lockFile);
      LOG.info("Storage initialised a new data directory {}", root);
    }
  }

  private void lockMarker(Path root, Path marker) throws IOException {
    lockChannel = FileChannel.open(marker, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      lockChannel = null;
      throw new IOException("data directory " + root + " is in use by another emulator");
    }
  }

  /** The lock on {@code ch}; waits (polling: a lock held in this JVM cannot be waited for) up to {@link #INIT_WAIT_MILLIS}. */
  private static FileLock awaitLock(FileChannel ch, Path root) throws IOException {
    long deadline = System.nanoTime() + INIT_WAIT_MILLIS * 1_000_000;
    while (true) {
      try {
        FileLock l = ch.tryLock();
        if (l != null) {
          return l;
        }
      } catch (OverlappingFileLockException heldInThisJvm) {
        // another Storage of this JVM initialises it: wait as for another process
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("data directory " + root + " is being initialised by another emulator for more than "
            + INIT_WAIT_MILLIS + " ms");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting to initialise " + root, e);
      }
    }
  }

  @Override
  public Future<Void> stop() {
    // Every write was durable before it was acknowledged: nothing to flush, only the lock to release.
    return blocking(() -> {
      releaseLock();
      return null;
    });
  }

  private synchronized void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      LOG.warn("Could not release the data directory lock: {}", e.toString());
    }
    lock = null;
    lockChannel = null;
  }

  /** Buckets and objects; available once started. */
  public ObjectStore objects() {
    ObjectStore o = objects;
    if (o == null) {
      throw new IllegalStateException("storage is not started");
    }
    return o;
  }

  /** Queues and messages; available once started. */
  public MessageStore messages() {
    MessageStore m = messages;
    if (m == null) {
      throw new IllegalStateException("storage is not started");
    }
    return m;
  }

  /** Pub/Sub topics, each a message store "queue" that holds no messages; available once started. */
  public MessageStore topics() {
    return started(topics);
  }

  /** Pub/Sub subscriptions and their unacknowledged messages; available once started. */
  public MessageStore subscriptions() {
    return started(subscriptions);
  }

  private static MessageStore started(MessageStore store) {
    if (store == null) {
      throw new IllegalStateException("storage is not started");
    }
    return store;
  }

  /** True once started; what the services that depend on storage check in their own start. */
  public boolean started() {
    return objects != null;
  }

  /** "memory" or the data directory, for health and logs. */
  public String describe() {
    return dataDir.map(Path::toString).orElse("memory");
  }

  /** Runs storage work on a worker thread (never an event loop); the result comes back on the caller's context. */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
