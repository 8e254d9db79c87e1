package io.quiesce.sample;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One in-memory emulator and an SDK v2 SQS client for it, shared by the tests of a class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
abstract class SqsEmulatorTest {

  @Emulator
  InProcessEmulator emulator;
  SqsClient sqs;

  @BeforeAll
  void start() {
    sqs = AwsClients.sqs(emulator.port());
  }

  @AfterAll
  void stop() {
    sqs.close();
  }
}
