package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.test.Emulator;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/** Multipart upload through the AWS SDK for Java v2: the calls its transfer manager and the CLI make. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class S3MultipartTest {

  private static final int MIB = 1024 * 1024;

  @Emulator
  InProcessEmulator emulator;
  private S3Client s3;

  @BeforeAll
  void start() throws Exception {
    s3 = AwsClients.s3(emulator.port());
    s3.createBucket(b -> b.bucket("mpu"));
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
  }

  @Test
  void partsAreUploadedListedAndCompletedIntoOneObjectWithS3sEtag() throws Exception {
    byte[] first = random(5 * MIB, 1);
    byte[] second = random(1000, 2);
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("big").contentType("text/plain")
        .storageClass(StorageClass.STANDARD_IA).metadata(java.util.Map.of("colour", "blue"))).uploadId();
    String e1 = s3.uploadPart(b -> b.bucket("mpu").key("big").uploadId(id).partNumber(1), RequestBody.fromBytes(first)).eTag();
    String e2 = s3.uploadPart(b -> b.bucket("mpu").key("big").uploadId(id).partNumber(2), RequestBody.fromBytes(second)).eTag();
    assertThat(e1).isEqualTo("\"" + md5Hex(first) + "\"");

    ListPartsResponse parts = s3.listParts(b -> b.bucket("mpu").key("big").uploadId(id));
    assertThat(parts.parts()).extracting(p -> p.partNumber(), p -> p.size(), p -> p.eTag())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, (long) first.length, e1),
            org.assertj.core.groups.Tuple.tuple(2, (long) second.length, e2));
    ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket("mpu").prefix("bi"));
    assertThat(uploads.uploads()).singleElement().satisfies(u -> {
      assertThat(u.key()).isEqualTo("big");
      assertThat(u.uploadId()).isEqualTo(id);
    });
    // Nothing is visible under the key before completion.
    assertThat(s3.listObjectsV2(b -> b.bucket("mpu").prefix("big")).contents()).isEmpty();

    String etag = s3.completeMultipartUpload(b -> b.bucket("mpu").key("big").uploadId(id).multipartUpload(m -> m.parts(
        CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())))
        .eTag();
    assertThat(etag).isEqualTo(multipartEtag(first, second));
    var object = s3.getObjectAsBytes(b -> b.bucket("mpu").key("big"));
    assertThat(object.asByteArray()).isEqualTo(concat(first, second));
    assertThat(object.response().eTag()).isEqualTo(etag);
    assertThat(object.response().contentType()).isEqualTo("text/plain");
    assertThat(object.response().metadata()).containsEntry("colour", "blue");
    assertThat(object.response().storageClass()).isEqualTo(StorageClass.STANDARD_IA);
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu").prefix("bi")).uploads()).isEmpty();
    assertError(() -> s3.listParts(b -> b.bucket("mpu").key("big").uploadId(id)), 404, "NoSuchUpload");
  }

  @Test
  void anAbortedUploadIsGoneAndTakesNoMoreParts() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("aborted")).uploadId();
    s3.uploadPart(b -> b.bucket("mpu").key("aborted").uploadId(id).partNumber(1), RequestBody.fromString("x"));
    s3.abortMultipartUpload(b -> b.bucket("mpu").key("aborted").uploadId(id));
    assertThat(s3.listMultipartUploads(b -> b.bucket("mpu").prefix("aborted")).uploads()).isEmpty();
    assertThatThrownBy(() -> s3.uploadPart(b -> b.bucket("mpu").key("aborted").uploadId(id).partNumber(2),
        RequestBody.fromString("y"))).isInstanceOf(NoSuchUploadException.class);
    assertThatThrownBy(() -> s3.abortMultipartUpload(b -> b.bucket("mpu").key("aborted").uploadId(id)))
        .isInstanceOf(NoSuchUploadException.class);
  }

  @Test
  void completionChecksThePartsAsS3Does() {
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("checked")).uploadId();
    String e1 = s3.uploadPart(b -> b.bucket("mpu").key("checked").uploadId(id).partNumber(1),
        RequestBody.fromString("small")).eTag();
    String e2 = s3.uploadPart(b -> b.bucket("mpu").key("checked").uploadId(id).partNumber(2),
        RequestBody.fromString("last")).eTag();
    assertError(() -> complete("checked", id, part(1, "\"00000000000000000000000000000000\"")), 400, "InvalidPart");
    assertError(() -> complete("checked", id, part(3, e1)), 400, "InvalidPart");
    assertError(() -> complete("checked", id, part(2, e2), part(1, e1)), 400, "InvalidPartOrder");
    assertError(() -> complete("checked", id, part(1, e1), part(2, e2)), 400, "EntityTooSmall");
    assertError(() -> s3.uploadPart(b -> b.bucket("mpu").key("checked").uploadId(id).partNumber(10001),
        RequestBody.fromString("x")), 400, "InvalidArgument");
    // A single small part is a valid (last) part.
    complete("checked", id, part(2, e2));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("checked")).asUtf8String()).isEqualTo("last");
    assertError(() -> complete("checked", "no-such-upload", part(1, e1)), 404, "NoSuchUpload");
  }

  @Test
  void partsCanBeCopiedFromRangesOfObjects() {
    byte[] source = random(6 * MIB, 3);
    s3.putObject(b -> b.bucket("mpu").key("copy-source"), RequestBody.fromBytes(source));
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("copied")).uploadId();
    String e1 = s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("copy-source").destinationBucket("mpu")
        .destinationKey("copied").uploadId(id).partNumber(1).copySourceRange("bytes=0-" + (5 * MIB - 1)))
        .copyPartResult().eTag();
    String e2 = s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("copy-source").destinationBucket("mpu")
        .destinationKey("copied").uploadId(id).partNumber(2).copySourceRange("bytes=" + (6 * MIB - 10) + "-" + (6 * MIB - 1)))
        .copyPartResult().eTag();
    complete("copied", id, part(1, e1), part(2, e2));
    byte[] expected = concat(java.util.Arrays.copyOfRange(source, 0, 5 * MIB),
        java.util.Arrays.copyOfRange(source, 6 * MIB - 10, 6 * MIB));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("copied")).asByteArray()).isEqualTo(expected);
    assertError(() -> s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("copy-source").destinationBucket("mpu")
        .destinationKey("copied").uploadId("gone").partNumber(1).copySourceRange("bytes=5-1")), 400, "InvalidArgument");
  }

  @Test
  void acknowledgedPartsSurviveARestartAndTheUploadCompletesAfterIt(@TempDir Path dir) throws Exception {
    byte[] first = random(5 * MIB, 4);
    byte[] second = random(10, 5);
    String id;
    String e1;
    try (InProcessEmulator before = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client c = AwsClients.s3(before.port())) {
      c.createBucket(b -> b.bucket("durable"));
      id = c.createMultipartUpload(b -> b.bucket("durable").key("k").metadata(java.util.Map.of("m", "1"))).uploadId();
      e1 = c.uploadPart(b -> b.bucket("durable").key("k").uploadId(id).partNumber(1), RequestBody.fromBytes(first)).eTag();
    }
    try (InProcessEmulator after = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client c = AwsClients.s3(after.port())) {
      assertThat(c.listParts(b -> b.bucket("durable").key("k").uploadId(id)).parts())
          .singleElement().satisfies(p -> assertThat(p.eTag()).isEqualTo(e1));
      String e2 = c.uploadPart(b -> b.bucket("durable").key("k").uploadId(id).partNumber(2), RequestBody.fromBytes(second))
          .eTag();
      c.completeMultipartUpload(b -> b.bucket("durable").key("k").uploadId(id).multipartUpload(m -> m.parts(part(1, e1), part(2, e2))));
      var object = c.getObjectAsBytes(b -> b.bucket("durable").key("k"));
      assertThat(object.asByteArray()).isEqualTo(concat(first, second));
      assertThat(object.response().metadata()).containsEntry("m", "1");
      assertThat(object.response().eTag()).isEqualTo(multipartEtag(first, second));
    }
    // The completed object (with its multipart ETag) is read back intact after another restart.
    try (InProcessEmulator again = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir)
        .startInProcess();
        S3Client c = AwsClients.s3(again.port())) {
      assertThat(c.getObjectAsBytes(b -> b.bucket("durable").key("k")).asByteArray()).isEqualTo(concat(first, second));
      assertThat(c.listMultipartUploads(b -> b.bucket("durable")).uploads()).isEmpty();
    }
  }

  @Test
  void completionAndPartCopiesHonourTheirConditions() {
    s3.putObject(b -> b.bucket("mpu").key("taken"), RequestBody.fromString("first"));
    String id = s3.createMultipartUpload(b -> b.bucket("mpu").key("taken")).uploadId();
    assertError(() -> s3.uploadPartCopy(b -> b.sourceBucket("mpu").sourceKey("taken").destinationBucket("mpu")
        .destinationKey("taken").uploadId(id).partNumber(1).copySourceIfMatch("\"0123\"")), 412, "PreconditionFailed");
    String e1 = s3.uploadPart(b -> b.bucket("mpu").key("taken").uploadId(id).partNumber(1), RequestBody.fromString("x"))
        .eTag();
    assertError(() -> s3.completeMultipartUpload(b -> b.bucket("mpu").key("taken").uploadId(id).ifNoneMatch("*")
        .multipartUpload(m -> m.parts(part(1, e1)))), 412, "PreconditionFailed");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("mpu").key("taken")).asUtf8String()).isEqualTo("first");
  }

  private void complete(String key, String id, CompletedPart... parts) {
    s3.completeMultipartUpload(b -> b.bucket("mpu").key(key).uploadId(id).multipartUpload(m -> m.parts(List.of(parts))));
  }

  private static CompletedPart part(int n, String etag) {
    return CompletedPart.builder().partNumber(n).eTag(etag).build();
  }

  private static String multipartEtag(byte[]... parts) throws Exception {
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    for (byte[] p : parts) {
      md5s.update(MessageDigest.getInstance("MD5").digest(p));
    }
    return "\"" + HexFormat.of().formatHex(md5s.digest()) + "-" + parts.length + "\"";
  }

  private static String md5Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void assertError(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    });
  }
}
