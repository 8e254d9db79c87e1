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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The runtime's routes live below {@code /_quiesce}, so buckets named like them are ordinary
 * buckets over the AWS SDK; only {@code health}, whose {@code GET /health} is the runtime's root
 * alias, is refused, with S3's own {@code InvalidBucketName}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class RuntimeNamedBucketsTest {

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

  @ParameterizedTest
  @ValueSource(strings = {"metrics", "healthcare-data", "lifecycle", "health-logs"})
  void aBucketNamedLikeARuntimeRouteIsCreatedFilledListedAndRead(String bucket) {
    s3.createBucket(b -> b.bucket(bucket));
    s3.putObject(b -> b.bucket(bucket).key("events"), RequestBody.fromString("in " + bucket));
    s3.putObject(b -> b.bucket(bucket).key("services/a"), RequestBody.fromString("a"));

    assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo(bucket));
    assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(o -> o.key())
        .containsExactly("events", "services/a");
    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("events")).asUtf8String()).isEqualTo("in " + bucket);
    assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("services/a")).asUtf8String()).isEqualTo("a");
  }

  @Test
  void aBucketNamedLikeTheRootHealthAliasIsAnInvalidBucketName() {
    assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("health")))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> {
          S3Exception s3e = (S3Exception) e;
          assertThat(s3e.statusCode()).isEqualTo(400);
          assertThat(s3e.awsErrorDetails().errorCode()).isEqualTo("InvalidBucketName");
        });
  }

  @Test
  void theRuntimeStillAnswersBelowItsNamespaceAndAtTheExactAlias() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/_quiesce/health", "/_quiesce/health/ready", "/health", "/health/ready"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
      assertThat(r.body()).as("GET %s", path).startsWith("{");
    }
  }
}
