package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.sample.s3.S3Service;
import io.quiesce.sample.sqs.SqsService;
import io.quiesce.sample.storage.FileSync;
import io.quiesce.sample.storage.MemoryBudget;
import io.quiesce.sample.storage.Storage;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.time.VertxClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage seams a real process hides: every fsync (seen, and made to fail), the memory budget
 * for bodies in transit, and content that changed on disk after it was acknowledged.
 */
class StorageSeamsTest {

  private static final long MIB = 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void anAcknowledgedPutAndSendWereForcedBeforeTheirAnswer(@TempDir Path dir) throws Exception {
    List<Path> forced = new CopyOnWriteArrayList<>();
    FileSync watching = (channel, path) -> {
      FileSync.FSYNC.force(channel, path);
      forced.add(path);
    };
    try (InProcessEmulator e = EmulatorLauncher.of(() -> seamed(Optional.of(dir), watching, new MemoryBudget(64 * MIB)))
        .startInProcess()) {
      assertThat(send(e, "PUT", "/fsync", new byte[0]).statusCode()).isEqualTo(200);
      forced.clear();
      HttpResponse<String> put = send(e, "PUT", "/fsync/k", "content".getBytes());
      List<Path> beforeAnswer = List.copyOf(forced);
      assertThat(put.statusCode()).isEqualTo(200);
      Path bucket = dir.resolve("s3").resolve("fsync");
      // The object's temp file (renamed since) and then the bucket directory that holds the rename.
      assertThat(beforeAnswer).hasSize(2);
      assertThat(beforeAnswer.get(0).getParent()).isEqualTo(bucket);
      assertThat(beforeAnswer.get(0).getFileName().toString()).startsWith(".tmp-");
      assertThat(beforeAnswer.get(1)).isEqualTo(bucket);

      String queue = sqs(e, "CreateQueue", "{\"QueueName\":\"fsync\"}").body();
      String url = queue.replaceAll(".*\"QueueUrl\":\"([^\"]+)\".*", "$1");
      forced.clear();
      HttpResponse<String> sent = sqs(e, "SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"m\"}");
      List<Path> beforeSent = List.copyOf(forced);
      assertThat(sent.statusCode()).isEqualTo(200);
      assertThat(beforeSent).as("message file, then queue directory").hasSize(2)
          .last().isEqualTo(dir.resolve("sqs").resolve("fsync"));
    }
  }

  @Test
  void aFailingFsyncIsA500AndNothingIsAcknowledgedOrVisible(@TempDir Path dir) throws Exception {
    AtomicBoolean failing = new AtomicBoolean();
    FileSync flaky = (channel, path) -> {
      if (failing.get()) {
        throw new IOException("injected fsync failure on " + path);
      }
      FileSync.FSYNC.force(channel, path);
    };
    try (InProcessEmulator e = EmulatorLauncher.of(() -> seamed(Optional.of(dir), flaky, new MemoryBudget(64 * MIB)))
        .startInProcess()) {
      assertThat(send(e, "PUT", "/flaky", new byte[0]).statusCode()).isEqualTo(200);
      String url = sqs(e, "CreateQueue", "{\"QueueName\":\"flaky\"}").body().replaceAll(".*\"QueueUrl\":\"([^\"]+)\".*", "$1");
      failing.set(true);

      HttpResponse<String> put = send(e, "PUT", "/flaky/k", "content".getBytes());
      assertThat(put.statusCode()).isEqualTo(500);
      assertThat(put.headers().firstValue("ETag")).isEmpty();
      HttpResponse<String> sent = sqs(e, "SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"m\"}");
      assertThat(sent.statusCode()).isEqualTo(500);
      assertThat(sent.body()).doesNotContain("MessageId");

      failing.set(false);
      assertThat(send(e, "GET", "/flaky/k", null).statusCode()).isEqualTo(404);
      assertThat(sqs(e, "ReceiveMessage", "{\"QueueUrl\":\"" + url + "\"}").body()).doesNotContain("Messages");
      try (var files = Files.list(dir.resolve("s3").resolve("flaky"))) {
        assertThat(files.map(p -> p.getFileName().toString())).as("no temp file left behind").containsExactly("bucket.rec");
      }
    }
  }

  @Test
  void uploadsStreamThroughABudgetFarSmallerThanThemAndWhatDoesNotFitIsSlowDown(@TempDir Path dir) throws Exception {
    byte[] big = new byte[(int) (40 * MIB)];
    new Random(7).nextBytes(big);
    try (InProcessEmulator e = EmulatorLauncher.of(() -> seamed(Optional.of(dir), FileSync.FSYNC, new MemoryBudget(2 * MIB)))
        .startInProcess()) {
      assertThat(send(e, "PUT", "/budget", new byte[0]).statusCode()).isEqualTo(200);
      HttpResponse<String> put = send(e, "PUT", "/budget/big", big);
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(put.headers().firstValue("ETag")).contains("\"" + md5(big) + "\"");
      HttpResponse<byte[]> got = http.send(request(e, "GET", "/budget/big", null), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(md5(got.body())).isEqualTo(md5(big));
    }
    try (InProcessEmulator e = EmulatorLauncher.of(() -> seamed(Optional.empty(), FileSync.FSYNC, new MemoryBudget(512 * 1024)))
        .startInProcess()) {
      assertThat(send(e, "PUT", "/budget", new byte[0]).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = send(e, "PUT", "/budget/k", "x".getBytes());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("<Code>SlowDown</Code>");
      HttpResponse<String> deletes = send(e, "POST", "/budget?delete", "<Delete><Object><Key>k</Key></Object></Delete>".getBytes());
      assertThat(deletes.statusCode()).isEqualTo(503);
      HttpResponse<String> message = sqs(e, "SendMessage", "{\"QueueUrl\":\"q\",\"MessageBody\":\"" + "m".repeat(600 * 1024) + "\"}");
      assertThat(message.statusCode()).isEqualTo(503);
      assertThat(message.body()).contains("RequestThrottled");
    }
  }

  @Test
  void corruptContentIsNeverServedAsIfFine(@TempDir Path dir) throws Exception {
    byte[] small = "small object content".getBytes();
    byte[] large = new byte[(int) (3 * MIB)];
    new Random(3).nextBytes(large);
    try (InProcessEmulator e = EmulatorLauncher.of(() -> seamed(Optional.of(dir), FileSync.FSYNC, new MemoryBudget(64 * MIB)))
        .startInProcess()) {
      assertThat(send(e, "PUT", "/rot", new byte[0]).statusCode()).isEqualTo(200);
      assertThat(send(e, "PUT", "/rot/small", small).statusCode()).isEqualTo(200);
      assertThat(send(e, "PUT", "/rot/large", large).statusCode()).isEqualTo(200);
      flipLastByte(dir, "small");
      flipLastByte(dir, "large");

      HttpResponse<String> got = send(e, "GET", "/rot/small", null);
      assertThat(got.statusCode()).isEqualTo(500);
      assertThat(got.body()).contains("<Code>InternalError</Code>").doesNotContain("small object");
      assertThat(send(e, "PUT", "/rot/copy", null, "x-amz-copy-source", "/rot/small").statusCode()).isEqualTo(500);

      // Too large to check before the status line: the response is cut before its last bytes.
      HttpResponse<InputStream> stream = http.send(request(e, "GET", "/rot/large", null), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      long read = 0;
      try (InputStream in = stream.body()) {
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) {
          read += n;
        }
      } catch (IOException cut) {
        // what a client sees: the body ended early
      }
      assertThat(read).as("bytes received of a corrupt object").isLessThan(large.length);
      // A range of a small object is served only after the whole object checked out.
      HttpResponse<String> range = http.send(request(e, "GET", "/rot/small", null, "Range", "bytes=0-3"), HttpResponse.BodyHandlers.ofString());
      assertThat(range.statusCode()).isEqualTo(500);
    }
  }

  private static void flipLastByte(Path dir, String key) throws Exception {
    String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes())) + ".obj";
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("s3").resolve("rot").resolve(name).toFile(), "rw")) {
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 0x01);
    }
  }

  /**
   * The S3 and SQS services assembled as {@link SampleEmulator} does, through the public API, but on
   * a {@link Storage} whose fsync and memory budget the test chooses: the seams that the packaged
   * emulator fixes to the real fsync and a quarter of the heap.
   */
  private static QuiesceApplication seamed(Optional<Path> dataDir, FileSync sync, MemoryBudget budget) {
    return QuiesceApplication.builder("seamed-emulator").setup(runtime -> {
      Storage storage = new Storage(runtime.vertx(), dataDir, sync, budget);
      S3Service s3 = new S3Service(storage, runtime, Set.of());
      SqsService sqs = new SqsService(storage, runtime, new VertxClock(runtime.vertx()));
      runtime.manage(storage);
      runtime.manage(s3);
      runtime.manage(sqs);
      runtime.router().route().handler(ctx -> {
        if (SqsService.accepts(ctx.request().getHeader("X-Amz-Target"))) {
          sqs.handle(ctx);
        } else {
          s3.handle(ctx);
        }
      });
    }).build();
  }

  private HttpRequest request(InProcessEmulator e, String method, String path, byte[] body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }

  private HttpResponse<String> send(InProcessEmulator e, String method, String path, byte[] body, String... headers) throws Exception {
    return http.send(request(e, method, path, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> sqs(InProcessEmulator e, String action, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + "/"))
        .header("X-Amz-Target", "AmazonSQS." + action).header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String md5(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }
}
