package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.Signal;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload in a real child process with a data directory: parts are uploaded one after
 * the other until the process gets SIGTERM or SIGKILL (one may be in flight). A new process on the
 * same directory lists every acknowledged part with its ETag, and the client completes the upload
 * there with exactly the bytes it was told were stored.
 */
class MultipartUnderSignalsTest {

  private static final int PART = 5 * 1024 * 1024;
  private static final Duration START = Duration.ofSeconds(60);

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "KILL"})
  void acknowledgedPartsSurviveAndTheUploadCompletesAfterRestart(String signal, @TempDir Path dir) throws Exception {
    Map<Integer, String> acked = new ConcurrentSkipListMap<>();
    Map<Integer, byte[]> sent = new ConcurrentSkipListMap<>();
    AtomicBoolean signalled = new AtomicBoolean();
    String id;
    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .set("emulator.demo_endpoints=false").startProcess()) {
      int port = emulator.awaitReady(START);
      try (S3Client s3 = AwsClients.s3(port)) {
        s3.createBucket(b -> b.bucket("mpu"));
        id = s3.createMultipartUpload(b -> b.bucket("mpu").key("big")).uploadId();
        Thread uploader = new Thread(() -> {
          for (int n = 1; n <= 10_000; n++) {
            int number = n;
            byte[] body = new byte[PART];
            new Random(n).nextBytes(body);
            sent.put(n, body);
            try {
              acked.put(n, s3.uploadPart(b -> b.bucket("mpu").key("big").uploadId(id).partNumber(number),
                  RequestBody.fromBytes(body)).eTag());
            } catch (RuntimeException e) {
              if (!signalled.get()) {
                throw e;
              }
              return; // the signal cut this one: it may or may not be stored
            }
          }
        });
        uploader.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 3);
        signalled.set(true);
        emulator.signal(Signal.valueOf(signal));
        assertThat(emulator.awaitExit(Duration.ofSeconds(60))).isEqualTo(signal.equals("TERM") ? 0 : 137);
        uploader.join(60_000);
      }
    }

    try (EmulatorProcess restarted = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startProcess();
        S3Client s3 = AwsClients.s3(restarted.awaitReady(START))) {
      Map<Integer, String> listed = new java.util.HashMap<>();
      s3.listParts(b -> b.bucket("mpu").key("big").uploadId(id)).parts().forEach(p -> listed.put(p.partNumber(), p.eTag()));
      assertThat(listed).containsAllEntriesOf(acked);
      List<CompletedPart> parts = acked.entrySet().stream()
          .map(e -> CompletedPart.builder().partNumber(e.getKey()).eTag(e.getValue()).build()).toList();
      s3.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id).multipartUpload(m -> m.parts(parts)));
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      acked.keySet().forEach(n -> expected.writeBytes(sent.get(n)));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("big")).asByteArray()).isEqualTo(expected.toByteArray());
    }
  }
}
