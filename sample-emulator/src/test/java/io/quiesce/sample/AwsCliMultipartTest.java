package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code aws s3 cp} of a file above the CLI's 8 MB multipart threshold, both ways, with the CLI's
 * default settings. Needs the {@code aws} command (Debian: {@code apt-get install awscli}; {@code .ci/run}
 * installs it): a prerequisite of the test suite like {@code nats-server}, not a reason to skip.
 */
class AwsCliMultipartTest {

  @Test
  void theAwsCliCopiesALargeFileUpAndDownInParts(@TempDir Path dir) throws Exception {
    assertThat(run(dir, List.of("aws", "--version"))).as("the AWS CLI runs (install it: apt-get install awscli)").isZero();
    byte[] content = new byte[20 * 1024 * 1024 + 12345];
    new Random(17).nextBytes(content);
    Path up = Files.write(dir.resolve("up.bin"), content);
    Path down = dir.resolve("down.bin");
    try (InProcessEmulator emulator = EmulatorLauncher.of(SampleEmulator.class)
        .startInProcess(); S3Client s3 = AwsClients.s3(emulator.port())) {
      s3.createBucket(b -> b.bucket("cli"));
      String endpoint = "http://127.0.0.1:" + emulator.port();
      assertThat(run(dir, List.of("aws", "--endpoint-url", endpoint, "s3", "cp", up.toString(), "s3://cli/big.bin"))).isZero();
      assertThat(s3.headObject(b -> b.bucket("cli").key("big.bin")).eTag()).as("uploaded in parts").matches("\"[0-9a-f]{32}-3\"");
      assertThat(run(dir, List.of("aws", "--endpoint-url", endpoint, "s3", "cp", "s3://cli/big.bin", down.toString()))).isZero();
      assertThat(Files.readAllBytes(down)).isEqualTo(content);
    }
  }

  private static int run(Path dir, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("cli.log").toFile());
    pb.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
        "AWS_DEFAULT_REGION", "us-east-1", "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
    Process p;
    try {
      p = pb.start();
    } catch (java.io.IOException notInstalled) {
      return -1;
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -2;
    }
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(dir.resolve("cli.log")));
    }
    return p.exitValue();
  }
}
