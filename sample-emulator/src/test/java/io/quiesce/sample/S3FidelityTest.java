package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * What S3 does with conditional requests, bucket locations and the {@code x-amz-*} options of a
 * write, through the AWS SDK for Java v2: each is honoured or refused, never accepted and forgotten.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class S3FidelityTest {

  @Emulator
  InProcessEmulator emulator;
  private S3Client s3;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void start() throws Exception {
    s3 = AwsClients.s3(emulator.port());
    s3.createBucket(b -> b.bucket("cond"));
  }

  @AfterAll
  void stop() throws Exception {
    s3.close();
  }

  @Test
  void putWithIfNoneMatchStarCreatesOnlyWhenAbsent() {
    s3.putObject(b -> b.bucket("cond").key("once").ifNoneMatch("*"), RequestBody.fromString("first"));
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("once").ifNoneMatch("*"), RequestBody.fromString("second")),
        412, "PreconditionFailed");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("once")).asUtf8String()).isEqualTo("first");
  }

  @Test
  void putWithIfMatchReplacesOnlyThatVersion() {
    String etag = s3.putObject(b -> b.bucket("cond").key("versioned"), RequestBody.fromString("v1")).eTag();
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("versioned").ifMatch("\"0123\""), RequestBody.fromString("v2")),
        412, "PreconditionFailed");
    s3.putObject(b -> b.bucket("cond").key("versioned").ifMatch(etag), RequestBody.fromString("v2"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("versioned")).asUtf8String()).isEqualTo("v2");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("absent").ifMatch(etag), RequestBody.fromString("x")),
        404, "NoSuchKey");
  }

  @Test
  void getAndHeadAnswer304And412AsTheirConditionsSay() {
    String etag = s3.putObject(b -> b.bucket("cond").key("read"), RequestBody.fromString("body")).eTag();
    Instant modified = s3.headObject(b -> b.bucket("cond").key("read")).lastModified();
    Instant later = modified.plus(Duration.ofHours(1));
    Instant earlier = modified.minus(Duration.ofHours(1));

    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifNoneMatch(etag)), 304);
    assertStatus(() -> s3.headObject(b -> b.bucket("cond").key("read").ifNoneMatch(etag)), 304);
    assertStatus(() -> s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifModifiedSince(later)), 304);
    assertError(() -> s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifMatch("\"0123\"")), 412, "PreconditionFailed");
    assertStatus(() -> s3.headObject(b -> b.bucket("cond").key("read").ifMatch("\"0123\"")), 412);
    assertError(() -> s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifUnmodifiedSince(earlier)),
        412, "PreconditionFailed");

    // Conditions that hold, and If-Match winning over a failing If-Unmodified-Since (RFC 9110 13.2.2).
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifMatch(etag).ifUnmodifiedSince(earlier))
        .asUtf8String()).isEqualTo("body");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("read").ifNoneMatch("\"0123\"").ifModifiedSince(earlier))
        .asUtf8String()).isEqualTo("body");
  }

  @Test
  void copyHonoursSourceAndDestinationConditions() {
    String etag = s3.putObject(b -> b.bucket("cond").key("copy-src"), RequestBody.fromString("src")).eTag();
    s3.putObject(b -> b.bucket("cond").key("copy-dst"), RequestBody.fromString("dst"));
    assertError(() -> s3.copyObject(b -> b.sourceBucket("cond").sourceKey("copy-src").destinationBucket("cond")
        .destinationKey("copy-new").copySourceIfMatch("\"0123\"")), 412, "PreconditionFailed");
    assertError(() -> s3.copyObject(b -> b.sourceBucket("cond").sourceKey("copy-src").destinationBucket("cond")
        .destinationKey("copy-new").copySourceIfNoneMatch(etag)), 412, "PreconditionFailed");
    assertError(() -> s3.copyObject(b -> b.sourceBucket("cond").sourceKey("copy-src").destinationBucket("cond")
        .destinationKey("copy-new").copySourceIfModifiedSince(Instant.now().plus(Duration.ofHours(1)))),
        412, "PreconditionFailed");
    assertError(() -> s3.copyObject(b -> b.sourceBucket("cond").sourceKey("copy-src").destinationBucket("cond")
        .destinationKey("copy-dst").ifNoneMatch("*")), 412, "PreconditionFailed");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("copy-dst")).asUtf8String()).isEqualTo("dst");
    s3.copyObject(b -> b.sourceBucket("cond").sourceKey("copy-src").destinationBucket("cond")
        .destinationKey("copy-new").copySourceIfMatch(etag));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("copy-new")).asUtf8String()).isEqualTo("src");
  }

  @Test
  void aBucketKeepsItsLocationConstraintAndAMismatchIsRefused() {
    try (S3Client eu = euWest1()) {
      eu.createBucket(b -> b.bucket("in-ireland").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
      assertThat(eu.getBucketLocation(b -> b.bucket("in-ireland")).locationConstraint())
          .isEqualTo(BucketLocationConstraint.EU_WEST_1);
      assertThat(s3.listBuckets().buckets()).anySatisfy(b -> {
        assertThat(b.name()).isEqualTo("in-ireland");
        assertThat(b.bucketRegion()).isEqualTo("eu-west-1");
      });
    }
    // Signed for us-east-1 with another region's constraint: refused, as by S3.
    assertError(() -> s3.createBucket(b -> b.bucket("elsewhere")
        .createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))), 400, "IllegalLocationConstraintException");
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals("elsewhere"));
    // us-east-1 answers an empty constraint.
    assertThat(s3.getBucketLocation(b -> b.bucket("cond")).locationConstraintAsString()).isEmpty();
  }

  @Test
  void creatingYourOwnBucketAgainInUsEast1Succeeds() {
    s3.createBucket(b -> b.bucket("twice"));
    s3.putObject(b -> b.bucket("twice").key("kept"), RequestBody.fromString("kept"));
    s3.createBucket(b -> b.bucket("twice"));
    assertThat(s3.getObjectAsBytes(b -> b.bucket("twice").key("kept")).asUtf8String()).isEqualTo("kept");
  }

  @Test
  void storageClassAndRedirectAreStoredAndReturned() {
    s3.putObject(b -> b.bucket("cond").key("ia").storageClass(StorageClass.STANDARD_IA)
        .websiteRedirectLocation("/elsewhere"), RequestBody.fromString("x"));
    HeadObjectResponse head = s3.headObject(b -> b.bucket("cond").key("ia"));
    assertThat(head.storageClass()).isEqualTo(StorageClass.STANDARD_IA);
    assertThat(head.websiteRedirectLocation()).isEqualTo("/elsewhere");
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("ia")).contents())
        .singleElement().satisfies(o -> assertThat(o.storageClassAsString()).isEqualTo("STANDARD_IA"));
    // A copy takes the storage class of its request, not of its source.
    s3.copyObject(b -> b.sourceBucket("cond").sourceKey("ia").destinationBucket("cond").destinationKey("ia-copy"));
    assertThat(s3.headObject(b -> b.bucket("cond").key("ia-copy")).storageClass()).isNull();
    // Changing only the storage class is a legal copy onto itself.
    s3.copyObject(b -> b.sourceBucket("cond").sourceKey("ia-copy").destinationBucket("cond").destinationKey("ia-copy")
        .storageClass(StorageClass.ONEZONE_IA));
    assertThat(s3.headObject(b -> b.bucket("cond").key("ia-copy")).storageClass()).isEqualTo(StorageClass.ONEZONE_IA);

    assertError(() -> s3.putObject(b -> b.bucket("cond").key("bad").storageClass("CHEAPEST"), RequestBody.fromString("x")),
        400, "InvalidStorageClass");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("cold").storageClass(StorageClass.GLACIER),
        RequestBody.fromString("x")), 501, "NotImplemented");
  }

  @Test
  void sseS3IsEchoedAndWhatCannotBeHonouredIsRefused() {
    assertThat(s3.putObject(b -> b.bucket("cond").key("sse").serverSideEncryption(ServerSideEncryption.AES256),
        RequestBody.fromString("x")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(s3.headObject(b -> b.bucket("cond").key("sse")).serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);

    assertError(() -> s3.putObject(b -> b.bucket("cond").key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS),
        RequestBody.fromString("x")), 501, "NotImplemented");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("ssec").sseCustomerAlgorithm("AES256")
        .sseCustomerKey("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=").sseCustomerKeyMD5("e1Sxtj6yXQJNG1wgvIZSdQ=="),
        RequestBody.fromString("x")), 501, "NotImplemented");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("tagged").tagging("a=b"), RequestBody.fromString("x")),
        501, "NotImplemented");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("public").acl(ObjectCannedACL.PUBLIC_READ),
        RequestBody.fromString("x")), 400, "AccessControlListNotSupported");
    assertError(() -> s3.putObject(b -> b.bucket("cond").key("held").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
        RequestBody.fromString("x")), 400, "InvalidRequest");
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("k")).contents()).isEmpty();
    // The ACL every object here has is accepted.
    s3.putObject(b -> b.bucket("cond").key("private").acl(ObjectCannedACL.PRIVATE), RequestBody.fromString("x"));
  }

  @Test
  void metadataInAPresignedUrlsQueryIsStored() throws Exception {
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(
        URI.create(base() + "/cond/presigned?x-amz-meta-colour=blue&X-Amz-Expires=60"))
        .PUT(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(s3.headObject(b -> b.bucket("cond").key("presigned")).metadata()).containsEntry("colour", "blue");
  }

  @Test
  void aRangedHeadAnswers206WithContentRange() {
    s3.putObject(b -> b.bucket("cond").key("ranged"), RequestBody.fromString("0123456789"));
    HeadObjectResponse head = s3.headObject(b -> b.bucket("cond").key("ranged").range("bytes=2-5"));
    assertThat(head.contentLength()).isEqualTo(4);
    assertThat(head.contentRange()).isEqualTo("bytes 2-5/10");
    assertThat(head.sdkHttpResponse().statusCode()).isEqualTo(206);
  }

  @Test
  void urlEncodedListingsLeaveSlashesAlone() throws Exception {
    s3.putObject(b -> b.bucket("cond").key("dir/a b"), RequestBody.fromString("x"));
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("dir/").encodingType(EncodingType.URL)).contents())
        .singleElement().satisfies(o -> assertThat(o.key()).isEqualTo("dir/a b"));
    String body = http.send(HttpRequest.newBuilder(URI.create(base() + "/cond?list-type=2&prefix=dir/&encoding-type=url"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).contains("<Key>dir/a%20b</Key>").contains("<Prefix>dir/</Prefix>");
  }

  @Test
  void errorDocumentsNameTheBucketOrKey() throws Exception {
    assertError(() -> s3.getObject(b -> b.bucket("cond").key("nothing/here")), 404, "NoSuchKey");
    // The SDK keeps no raw error document: read it as the SDK received it.
    assertThat(get("/cond/nothing/here")).contains("<Key>nothing/here</Key>");
    assertThat(get("/no-such-bucket-here?list-type=2")).contains("<BucketName>no-such-bucket-here</BucketName>");
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void methodsS3HasButThisEmulatorLacksAreNotImplemented() throws Exception {
    for (String method : new String[] {"POST", "OPTIONS", "PATCH"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/cond/form"))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(method).isEqualTo(501);
      assertThat(r.body()).as(method).contains("<Code>NotImplemented</Code>");
    }
  }

  @Test
  void contentEncodingIsKeptAsSent() {
    s3.putObject(b -> b.bucket("cond").key("encoded").contentEncoding("deflate, gzip"), RequestBody.fromString("x"));
    assertThat(s3.headObject(b -> b.bucket("cond").key("encoded")).contentEncoding()).isEqualTo("deflate, gzip");
  }

  @Test
  void listObjectsVersion1PagesByMarker() {
    s3.createBucket(b -> b.bucket("list-v1"));
    for (String k : new String[] {"a", "b", "dir/1", "dir/2", "e"}) {
      s3.putObject(b -> b.bucket("list-v1").key(k), RequestBody.fromString(k));
    }
    var first = s3.listObjects(b -> b.bucket("list-v1").maxKeys(2));
    assertThat(first.contents()).extracting(o -> o.key()).containsExactly("a", "b");
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.contents().get(0).owner()).isNotNull();
    var rest = s3.listObjects(b -> b.bucket("list-v1").marker("b"));
    assertThat(rest.contents()).extracting(o -> o.key()).containsExactly("dir/1", "dir/2", "e");
    assertThat(rest.isTruncated()).isFalse();
    // With a delimiter, NextMarker may name a common prefix; the next page resumes after all of it.
    var rolled = s3.listObjects(b -> b.bucket("list-v1").delimiter("/").marker("b").maxKeys(1));
    assertThat(rolled.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("dir/");
    assertThat(rolled.nextMarker()).isEqualTo("dir/");
    assertThat(s3.listObjects(b -> b.bucket("list-v1").delimiter("/").marker("dir/")).contents())
        .extracting(o -> o.key()).containsExactly("e");
  }

  @Test
  void listObjectsV2ListsOwnersOnlyWhenAskedTo() {
    s3.putObject(b -> b.bucket("cond").key("owned"), RequestBody.fromString("x"));
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("owned")).contents().get(0).owner()).isNull();
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("owned").fetchOwner(true)).contents().get(0).owner())
        .isNotNull();
  }

  @Test
  void listBucketsFiltersAndPages() {
    for (String name : new String[] {"lb-a", "lb-b", "lb-c"}) {
      s3.createBucket(b -> b.bucket(name));
    }
    var first = s3.listBuckets(b -> b.prefix("lb-").maxBuckets(2));
    assertThat(first.buckets()).extracting(x -> x.name()).containsExactly("lb-a", "lb-b");
    assertThat(first.continuationToken()).isNotNull();
    assertThat(s3.listBuckets(b -> b.prefix("lb-").continuationToken(first.continuationToken())).buckets())
        .extracting(x -> x.name()).containsExactly("lb-c");
    assertThat(s3.listBuckets(b -> b.prefix("lb-").bucketRegion("eu-west-1")).buckets()).isEmpty();
    assertThat(s3.listBuckets(b -> b.prefix("lb-").bucketRegion("us-east-1")).buckets()).hasSize(3);
  }

  @Test
  void checksumsAreStoredAndReturnedAsS3ReturnsThem() {
    String crc = s3.putObject(b -> b.bucket("cond").key("summed").checksumAlgorithm(ChecksumAlgorithm.CRC32),
        RequestBody.fromString("checksummed")).checksumCRC32();
    assertThat(crc).isNotNull();
    assertThat(s3.headObject(b -> b.bucket("cond").key("summed").checksumMode(ChecksumMode.ENABLED)).checksumCRC32())
        .isEqualTo(crc);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("summed").checksumMode(ChecksumMode.ENABLED)).response()
        .checksumCRC32()).isEqualTo(crc);
    assertThat(s3.headObject(b -> b.bucket("cond").key("summed")).checksumCRC32()).isNull();
    assertThat(s3.listObjectsV2(b -> b.bucket("cond").prefix("summed")).contents()).singleElement()
        .satisfies(o -> assertThat(o.checksumAlgorithm()).containsExactly(ChecksumAlgorithm.CRC32));
    assertThat(s3.copyObject(b -> b.sourceBucket("cond").sourceKey("summed").destinationBucket("cond")
        .destinationKey("summed-copy")).copyObjectResult().checksumCRC32()).isEqualTo(crc);
    // A ranged read gets no whole-object checksum (the SDK would fail to validate it).
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("summed").range("bytes=0-2")
        .checksumMode(ChecksumMode.ENABLED)).asUtf8String()).isEqualTo("che");
  }

  private String base() {
    return "http://127.0.0.1:" + emulator.port();
  }

  private S3Client euWest1() {
    return S3Client.builder()
        .endpointOverride(URI.create(base()))
        .region(Region.EU_WEST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
        .forcePathStyle(true)
        .build();
  }

  @Test
  void everyVersioningRequestIsNotImplementedAndChangesNothing() {
    s3.putObject(b -> b.bucket("cond").key("one-version"), RequestBody.fromString("current"));
    assertError(() -> s3.putBucketVersioning(b -> b.bucket("cond")
        .versioningConfiguration(c -> c.status(software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED))),
        501, "NotImplemented");
    assertError(() -> s3.getBucketVersioning(b -> b.bucket("cond")), 501, "NotImplemented");
    assertError(() -> s3.listObjectVersions(b -> b.bucket("cond")), 501, "NotImplemented");
    assertError(() -> s3.getObject(b -> b.bucket("cond").key("one-version").versionId("v1")), 501, "NotImplemented");
    assertStatus(() -> s3.headObject(b -> b.bucket("cond").key("one-version").versionId("v1")), 501);
    assertError(() -> s3.deleteObject(b -> b.bucket("cond").key("one-version").versionId("v1")), 501, "NotImplemented");
    assertError(() -> s3.deleteObjects(b -> b.bucket("cond").delete(d -> d.objects(o -> o.key("one-version").versionId("v1")))),
        501, "NotImplemented");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("cond").key("one-version")).asUtf8String()).isEqualTo("current");
  }

  private static void assertError(ThrowingCallable call, int status, String code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    });
  }

  private static void assertStatus(ThrowingCallable call, int status) {
    assertThatThrownBy(call).isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(status));
  }
}
