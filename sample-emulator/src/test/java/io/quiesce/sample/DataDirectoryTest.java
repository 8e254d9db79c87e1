package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.sample.storage.CorruptDataException;
import io.quiesce.sample.storage.Storage;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.InProcessEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** emulator.data_dir: state restored before ready, and a directory we cannot read is left untouched. */
class DataDirectoryTest {

  @Test
  void stateSurvivesARestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
    String url;
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client s3 = AwsClients.s3(first.port());
        SqsClient sqs = AwsClients.sqs(first.port())) {
      s3.createBucket(b -> b.bucket("kept"));
      s3.putObject(b -> b.bucket("kept").key("a/b").metadata(Map.of("k", "v")), RequestBody.fromString("persisted"));
      s3.putObject(b -> b.bucket("kept").key("gone"), RequestBody.fromString("deleted before restart"));
      s3.deleteObject(b -> b.bucket("kept").key("gone"));
      url = sqs.createQueue(b -> b.queueName("kept")).queueUrl();
      sqs.setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("VisibilityTimeout", "77")));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("m1"));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("m2"));
      Message m1 = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m1.receiptHandle()));
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("m3"));
      // m2 and m3 are received but not deleted: after a restart they are visible again.
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).hasSize(2);
    }

    try (InProcessEmulator second = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client s3 = AwsClients.s3(second.port());
        SqsClient sqs = AwsClients.sqs(second.port())) {
      assertThat(s3.getObjectAsBytes(b -> b.bucket("kept").key("a/b")).asUtf8String()).isEqualTo("persisted");
      assertThat(s3.headObject(b -> b.bucket("kept").key("a/b")).metadata()).containsEntry("k", "v");
      assertThat(s3.listObjectsV2(b -> b.bucket("kept")).contents()).hasSize(1);
      String url2 = sqs.getQueueUrl(b -> b.queueName("kept")).queueUrl();
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url2).attributeNamesWithStrings("VisibilityTimeout"))
          .attributesAsStrings()).containsEntry("VisibilityTimeout", "77");
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url2).maxNumberOfMessages(10)).messages())
          .extracting(Message::body).containsExactly("m2", "m3");
      // New messages continue the sequence after the restored ones.
      sqs.sendMessage(b -> b.queueUrl(url2).messageBody("m4"));
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url2).attributeNamesWithStrings("ApproximateNumberOfMessages"))
          .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "1");
    }
  }

  @Test
  void aCorruptObjectFileStopsStartupNamingItAndNothingIsChanged(@TempDir Path dir) throws Exception {
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client s3 = AwsClients.s3(first.port())) {
      s3.createBucket(b -> b.bucket("bkt"));
      s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromString("content"));
    }
    Path object;
    try (Stream<Path> files = Files.list(dir.resolve("s3").resolve("bkt"))) {
      object = files.filter(p -> p.toString().endsWith(".obj")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(object);
    Files.write(object, java.util.Arrays.copyOf(bytes, bytes.length - 3)); // torn by hand
    Files.writeString(dir.resolve("s3").resolve("bkt").resolve(".tmp-leftover"), "an unfinished write");
    Map<String, String> before = snapshot(dir);

    assertThatThrownBy(() -> EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess())
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(object.toString()).hasMessageContaining("the header says");

    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void aForeignDirectoryIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("important.txt"), "not ours");
    Map<String, String> before = snapshot(dir);

    assertThatThrownBy(() -> EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess())
        .isInstanceOf(CorruptDataException.class).hasMessageContaining(Storage.MARKER);

    assertThat(snapshot(dir)).isEqualTo(before);
  }

  @Test
  void aForeignFileInsideADataDirectoryFailsTheProcessWithExitCodeOne(@TempDir Path dir) throws Exception {
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        SqsClient sqs = AwsClients.sqs(first.port())) {
      sqs.createQueue(b -> b.queueName("q"));
    }
    Path foreign = dir.resolve("sqs").resolve("q").resolve("notes.txt");
    Files.writeString(foreign, "hello");
    Map<String, String> before = snapshot(dir);

    try (EmulatorProcess emulator = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startProcess()) {
      assertThat(emulator.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(emulator.output()).contains("Startup failed").contains(foreign.toString()).doesNotContain("Ready.");
    }
    assertThat(snapshot(dir)).isEqualTo(before);
  }

  /** Every file under {@code dir} with the SHA-256 of its content. */
  private static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }
}
