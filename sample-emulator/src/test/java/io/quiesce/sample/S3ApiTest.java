package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Every S3 operation of the emulator through the AWS SDK for Java v2, error codes included. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class S3ApiTest {

  @Emulator
  InProcessEmulator emulator;
  private S3Client s3;

  @BeforeAll
  void start() throws Exception {
    s3 = AwsClients.s3(emulator.port());
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
  }

  @Test
  void bucketsAreCreatedListedHeadedAndDeleted() {
    s3.createBucket(b -> b.bucket("lifecycle-bucket"));
    s3.headBucket(b -> b.bucket("lifecycle-bucket"));
    assertThat(s3.listBuckets().buckets()).anySatisfy(b -> {
      assertThat(b.name()).isEqualTo("lifecycle-bucket");
      assertThat(b.creationDate()).isNotNull();
    });

    // Your own bucket again: 200 in us-east-1, as S3 answers (409 BucketAlreadyOwnedByYou elsewhere).
    s3.createBucket(b -> b.bucket("lifecycle-bucket"));

    s3.putObject(b -> b.bucket("lifecycle-bucket").key("x"), RequestBody.fromString("x"));
    assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("lifecycle-bucket")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty"));

    s3.deleteObject(b -> b.bucket("lifecycle-bucket").key("x"));
    s3.deleteBucket(b -> b.bucket("lifecycle-bucket"));
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("lifecycle-bucket"))).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("lifecycle-bucket"))).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("lifecycle-bucket"))).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void invalidBucketNameIsRefusedWithAnS3ErrorDocument() throws Exception {
    // The SDK refuses such a name itself, so ask over plain HTTP.
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + "/Not_Valid"))
            .PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/xml");
    assertThat(r.body()).contains("<Error><Code>InvalidBucketName</Code>").contains("<Resource>/Not_Valid</Resource>");
  }

  @Test
  void theSdkDefaultUploadIsAwsChunkedWithATrailingChecksumAndIsDecoded() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutionInterceptor spy = new ExecutionInterceptor() {
      @Override
      public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        seen.add(context.httpRequest().firstMatchingHeader("Content-Encoding").orElse("") + " "
            + context.httpRequest().firstMatchingHeader("x-amz-content-sha256").orElse(""));
      }
    };
    try (S3Client chunked = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + emulator.port()))
        .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.addExecutionInterceptor(spy)).build()) {
      chunked.createBucket(b -> b.bucket("chunked"));
      seen.clear();
      chunked.putObject(b -> b.bucket("chunked").key("k"), RequestBody.fromString("chunked body"));
      assertThat(seen).singleElement().asString().contains("aws-chunked").contains("STREAMING-");
      assertThat(chunked.getObjectAsBytes(b -> b.bucket("chunked").key("k")).asUtf8String()).isEqualTo("chunked body");
      assertThat(chunked.headObject(b -> b.bucket("chunked").key("k")).contentEncoding()).isNull();
    }
  }

  @Test
  void objectsRoundTripBytesContentTypeMetadataAndMd5Etag() throws Exception {
    s3.createBucket(b -> b.bucket("roundtrip"));
    byte[] data = new byte[300_000];
    new Random(42).nextBytes(data);
    String key = "dir/with space/ü+plus?&=.bin";

    PutObjectResponse put = s3.putObject(b -> b.bucket("roundtrip").key(key).contentType("application/x-test")
        .metadata(Map.of("owner", "alice", "purpose", "round trip")), RequestBody.fromBytes(data));

    assertThat(put.eTag()).isEqualTo("\"" + md5Hex(data) + "\"");
    ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("roundtrip").key(key));
    assertThat(got.asByteArray()).isEqualTo(data);
    assertThat(got.response().eTag()).isEqualTo(put.eTag());
    assertThat(got.response().contentType()).isEqualTo("application/x-test");
    assertThat(got.response().contentLength()).isEqualTo(data.length);
    assertThat(got.response().metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("owner", "alice", "purpose", "round trip"));

    HeadObjectResponse head = s3.headObject(b -> b.bucket("roundtrip").key(key));
    assertThat(head.contentLength()).isEqualTo(data.length);
    assertThat(head.eTag()).isEqualTo(put.eTag());
    assertThat(head.metadata()).containsEntry("owner", "alice");
    assertThat(head.lastModified()).isNotNull();
  }

  @Test
  void plainUploadsWithoutAwsChunkedAlsoWork() {
    try (S3Client plain = AwsClients.s3(emulator.port(), RequestChecksumCalculation.WHEN_REQUIRED)) {
      plain.createBucket(b -> b.bucket("plain"));
      plain.putObject(b -> b.bucket("plain").key("k"), RequestBody.fromString("plain body"));
      assertThat(plain.getObjectAsBytes(b -> b.bucket("plain").key("k")).asUtf8String()).isEqualTo("plain body");
      // Content-MD5 is checked when sent.
      plain.putObject(b -> b.bucket("plain").key("md5").contentMD5(java.util.Base64.getEncoder().encodeToString(md5("abc".getBytes()))),
          RequestBody.fromString("abc"));
      assertThatThrownBy(() -> plain.putObject(b -> b.bucket("plain").key("md5").contentMD5(
              java.util.Base64.getEncoder().encodeToString(md5("other".getBytes()))), RequestBody.fromString("abc")))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
    }
  }

  @Test
  void rangesReturnPartialContent() {
    s3.createBucket(b -> b.bucket("ranges"));
    s3.putObject(b -> b.bucket("ranges").key("digits"), RequestBody.fromString("0123456789"));

    ResponseBytes<GetObjectResponse> middle = s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=2-5"));
    assertThat(middle.asUtf8String()).isEqualTo("2345");
    assertThat(middle.response().contentRange()).isEqualTo("bytes 2-5/10");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=7-")).asUtf8String()).isEqualTo("789");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=-3")).asUtf8String()).isEqualTo("789");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=8-100")).asUtf8String()).isEqualTo("89");

    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ranges").key("digits").range("bytes=10-")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> {
          assertThat(((S3Exception) e).statusCode()).isEqualTo(416);
          assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
        });
  }

  @Test
  void missingObjectsAndBucketsHaveTheirErrorCodes() {
    s3.createBucket(b -> b.bucket("missing"));
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("missing").key("nope"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("missing").key("nope"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("no-such-bucket").key("k"))).isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("x")))
        .isInstanceOf(NoSuchBucketException.class);
    // Deleting a key that is not there succeeds, as in S3.
    s3.deleteObject(b -> b.bucket("missing").key("nope"));
  }

  @Test
  void listObjectsV2WithPrefixDelimiterAndPagination() {
    s3.createBucket(b -> b.bucket("listing"));
    List<String> keys = List.of("a/1", "a/2", "a/b/3", "b/1", "c", "d", "e/", "f");
    for (String k : keys) {
      s3.putObject(b -> b.bucket("listing").key(k), RequestBody.fromString(k));
    }

    ListObjectsV2Response all = s3.listObjectsV2(b -> b.bucket("listing"));
    assertThat(all.contents()).extracting(S3Object::key).containsExactlyElementsOf(keys);
    assertThat(all.contents().get(0).size()).isEqualTo(3);
    assertThat(all.isTruncated()).isFalse();

    ListObjectsV2Response prefixed = s3.listObjectsV2(b -> b.bucket("listing").prefix("a/"));
    assertThat(prefixed.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2", "a/b/3");

    ListObjectsV2Response rolled = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
    assertThat(rolled.contents()).extracting(S3Object::key).containsExactly("c", "d", "f");
    assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/", "e/");

    ListObjectsV2Response under = s3.listObjectsV2(b -> b.bucket("listing").prefix("a/").delimiter("/"));
    assertThat(under.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2");
    assertThat(under.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/b/");

    // Pages of two, objects and common prefixes together, each entry exactly once.
    List<String> seen = new ArrayList<>();
    String token = null;
    for (int page = 0; page < 10; page++) {
      String t = token;
      ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/").maxKeys(2).continuationToken(t));
      assertThat(r.keyCount()).isLessThanOrEqualTo(2);
      r.contents().forEach(o -> seen.add(o.key()));
      r.commonPrefixes().forEach(p -> seen.add(p.prefix()));
      if (!r.isTruncated()) {
        break;
      }
      token = r.nextContinuationToken();
    }
    assertThat(seen).containsExactlyInAnyOrder("a/", "b/", "c", "d", "e/", "f");

    assertThat(s3.listObjectsV2(b -> b.bucket("listing").startAfter("d")).contents())
        .extracting(S3Object::key).containsExactly("e/", "f");
    // The paginator follows continuation tokens to the end.
    assertThat(s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(3)).contents().stream().map(S3Object::key).toList())
        .containsExactlyElementsOf(keys);
  }

  @Test
  void copyObjectKeepsOrReplacesMetadata() {
    s3.createBucket(b -> b.bucket("copy-src"));
    s3.createBucket(b -> b.bucket("copy-dst"));
    s3.putObject(b -> b.bucket("copy-src").key("orig").contentType("text/plain").metadata(Map.of("m", "1")),
        RequestBody.fromString("copied content"));

    CopyObjectResponse copied = s3.copyObject(b -> b.sourceBucket("copy-src").sourceKey("orig")
        .destinationBucket("copy-dst").destinationKey("same meta"));
    assertThat(copied.copyObjectResult().eTag()).isEqualTo("\"" + md5Hex("copied content".getBytes()) + "\"");
    ResponseBytes<GetObjectResponse> same = s3.getObjectAsBytes(b -> b.bucket("copy-dst").key("same meta"));
    assertThat(same.asUtf8String()).isEqualTo("copied content");
    assertThat(same.response().metadata()).containsExactly(Map.entry("m", "1"));
    assertThat(same.response().contentType()).isEqualTo("text/plain");

    s3.copyObject(b -> b.sourceBucket("copy-src").sourceKey("orig").destinationBucket("copy-dst").destinationKey("new meta")
        .metadataDirective(MetadataDirective.REPLACE).contentType("application/json").metadata(Map.of("n", "2")));
    HeadObjectResponse replaced = s3.headObject(b -> b.bucket("copy-dst").key("new meta"));
    assertThat(replaced.metadata()).containsExactly(Map.entry("n", "2"));
    assertThat(replaced.contentType()).isEqualTo("application/json");

    assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("copy-src").sourceKey("absent")
        .destinationBucket("copy-dst").destinationKey("x"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("copy-src").sourceKey("orig")
        .destinationBucket("copy-src").destinationKey("orig")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRequest"));
  }

  @Test
  void deleteObjectsDeletesManyAndReportsEach() {
    s3.createBucket(b -> b.bucket("multi-delete"));
    for (String k : List.of("one", "two", "three")) {
      s3.putObject(b -> b.bucket("multi-delete").key(k), RequestBody.fromString(k));
    }
    DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket("multi-delete").delete(d -> d.objects(
        ObjectIdentifier.builder().key("one").build(), ObjectIdentifier.builder().key("two").build(),
        ObjectIdentifier.builder().key("never-there").build())));
    assertThat(r.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder("one", "two", "never-there");
    assertThat(r.errors()).isEmpty();
    assertThat(s3.listObjectsV2(b -> b.bucket("multi-delete")).contents()).extracting(S3Object::key).containsExactly("three");

    assertThatThrownBy(() -> s3.deleteObjects(b -> b.bucket("no-such-bucket").delete(d -> d.objects(
        ObjectIdentifier.builder().key("one").build())))).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void unimplementedOperationsSayNotImplemented() {
    s3.createBucket(b -> b.bucket("versioned"));
    assertThatThrownBy(() -> s3.putBucketVersioning(b -> b.bucket("versioned")
        .versioningConfiguration(v -> v.status(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> {
          assertThat(((S3Exception) e).statusCode()).isEqualTo(501);
          assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
        });
  }

  private static String md5Hex(byte[] data) throws RuntimeException {
    return String.format("%032x", new BigInteger(1, md5(data)));
  }

  private static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
