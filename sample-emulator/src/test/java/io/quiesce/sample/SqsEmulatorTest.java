package io.quiesce.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.SqsClient;

/** One in-memory emulator and an SDK v2 SQS client for it, shared by the tests of a class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqsEmulatorTest {

  InProcessEmulator emulator;
  SqsClient sqs;

  @BeforeAll
  void start() throws Exception {
    emulator = InProcessEmulator.start();
    sqs = AwsClients.sqs(emulator.port());
  }

  @AfterAll
  void stop() throws Exception {
    sqs.close();
    emulator.close();
  }
}
