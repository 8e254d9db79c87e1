package io.quiesce.sample;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * AWS SDK v2 clients pointed at an emulator on 127.0.0.1, configured as a user would: path-style,
 * endpoint override, dummy credentials. Retries are off so that a test sees every failure (an SDK
 * retry would hide it, and a retried SendMessage could duplicate a message).
 */
final class AwsClients {

  private static final StaticCredentialsProvider DUMMY =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  private AwsClients() {}

  /** The SDK's default checksums: PutObject bodies arrive aws-chunked with a trailing CRC32. */
  static S3Client s3(int port) {
    return s3(port, RequestChecksumCalculation.WHEN_SUPPORTED);
  }

  static S3Client s3(int port, RequestChecksumCalculation checksums) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(DUMMY)
        .forcePathStyle(true)
        .requestChecksumCalculation(checksums)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
        .overrideConfiguration(noRetries())
        .build();
  }

  static SqsClient sqs(int port) {
    return SqsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .credentialsProvider(DUMMY)
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
        .overrideConfiguration(noRetries())
        .build();
  }

  private static ClientOverrideConfiguration noRetries() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(b -> b.maxAttempts(1))
        .apiCallTimeout(Duration.ofSeconds(90))
        .build();
  }
}
