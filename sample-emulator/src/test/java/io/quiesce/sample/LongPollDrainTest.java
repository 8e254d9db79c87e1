package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quiesce.api.ShutdownReport;
import io.quiesce.http.RuntimeInstance;
import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** A 20 s long poll never turns into a 20 s shutdown: drain answers it at once, empty. */
class LongPollDrainTest {

  @Test
  void drainEndsWaitingReceivesAtOnceWithAnEmptyAnswer() throws Exception {
    // drain_timeout below the poll's 20 s: had drain waited for the poll, the report would say it was cut.
    InProcessEmulator emulator = EmulatorLauncher.of(SampleEmulator.class)
        .set("server.drain_timeout=10s", "server.shutdown_timeout=30s").startInProcess();
    try (SqsClient sqs = AwsClients.sqs(emulator.port())) {
      String url = sqs.createQueue(b -> b.queueName("drain")).queueUrl();
      CompletableFuture<ReceiveMessageResponse> polls = CompletableFuture.supplyAsync(
          () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)));
      await().atMost(Duration.ofSeconds(30)).until(() -> ((RuntimeInstance) emulator.runtime()).tracker().inFlight() == 1);

      ShutdownReport report = emulator.stop();

      assertThat(polls.get(30, TimeUnit.SECONDS).messages()).isEmpty();
      assertThat(report.clean()).as("shutdown report %s", report.toJson()).isTrue();
    } finally {
      emulator.close();
    }
  }
}
