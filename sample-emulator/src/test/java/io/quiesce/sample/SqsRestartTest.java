package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.InProcessEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * With emulator.data_dir, what SQS keeps besides bodies survives a restart: message attributes,
 * delays, tags, FIFO deduplication ids, redrive policies and the messages moved to a dead-letter
 * queue. A data directory written before these existed still loads.
 */
class SqsRestartTest {

  private static final Map<String, MessageAttributeValue> ATTRIBUTES = Map.of(
      "kind", MessageAttributeValue.builder().dataType("String").stringValue("invoice").build(),
      "amount", MessageAttributeValue.builder().dataType("Number.cents").stringValue("1999").build(),
      "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromUtf8String("raw")).build());

  @Test
  void attributesTagsDedupIdsAndDeadLettersSurviveARestart(@TempDir Path dir) throws Exception {
    String fifoFirstId;
    try (InProcessEmulator first = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir).startInProcess();
        SqsClient sqs = AwsClients.sqs(first.port())) {
      String plain = sqs.createQueue(b -> b.queueName("plain").tags(Map.of("team", "billing"))).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(plain).messageBody("with attributes").messageAttributes(ATTRIBUTES));
      sqs.sendMessage(b -> b.queueUrl(plain).messageBody("delayed").delaySeconds(900));

      String fifo = sqs.createQueue(b -> b.queueName("orders.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
          .queueUrl();
      fifoFirstId = sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("pay").messageGroupId("g").messageDeduplicationId("tx-1"))
          .messageId();

      sqs.createQueue(b -> b.queueName("dlq"));
      String source = sqs.createQueue(b -> b.queueName("source").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
          "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":1}"))).queueUrl();
      sqs.sendMessage(b -> b.queueUrl(source).messageBody("poison").messageAttributes(ATTRIBUTES));
      Message once = sqs.receiveMessage(b -> b.queueUrl(source)).messages().get(0);
      sqs.changeMessageVisibility(b -> b.queueUrl(source).receiptHandle(once.receiptHandle()).visibilityTimeout(0));
      assertThat(sqs.receiveMessage(b -> b.queueUrl(source)).messages()).isEmpty(); // moved
    }

    try (InProcessEmulator second = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir).startInProcess();
        SqsClient sqs = AwsClients.sqs(second.port())) {
      String plain = sqs.getQueueUrl(b -> b.queueName("plain")).queueUrl();
      // The SDK checks the MD5 of the attributes it receives.
      Message m = sqs.receiveMessage(b -> b.queueUrl(plain).maxNumberOfMessages(10).messageAttributeNames("All")).messages().get(0);
      assertThat(m.body()).isEqualTo("with attributes");
      assertThat(m.messageAttributes()).isEqualTo(ATTRIBUTES);
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(plain).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
          .attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "1");
      assertThat(sqs.listQueueTags(b -> b.queueUrl(plain)).tags()).isEqualTo(Map.of("team", "billing"));

      String fifo = sqs.getQueueUrl(b -> b.queueName("orders.fifo")).queueUrl();
      assertThat(sqs.sendMessage(b -> b.queueUrl(fifo).messageBody("pay").messageGroupId("g").messageDeduplicationId("tx-1"))
          .messageId()).isEqualTo(fifoFirstId);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(fifo).maxNumberOfMessages(10)).messages())
          .extracting(Message::messageId).containsExactly(fifoFirstId);

      String source = sqs.getQueueUrl(b -> b.queueName("source")).queueUrl();
      assertThat(sqs.getQueueAttributes(b -> b.queueUrl(source).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes())
          .containsKey(QueueAttributeName.REDRIVE_POLICY);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(source)).messages()).isEmpty();
      String dlq = sqs.getQueueUrl(b -> b.queueName("dlq")).queueUrl();
      assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq).messageAttributeNames("All")).messages()).singleElement()
          .satisfies(d -> {
            assertThat(d.body()).isEqualTo("poison");
            assertThat(d.messageAttributes()).isEqualTo(ATTRIBUTES);
          });
    }
  }

  @Test
  void aQueueStoredBeforeAttributesAndTagsExistedStillLoads(@TempDir Path dir) throws Exception {
    try (InProcessEmulator init = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir).startInProcess()) {
      // creates the data directory layout
    }
    // A queue and a message exactly as the first version of the format wrote them.
    Path queue = Files.createDirectories(dir.resolve("sqs").resolve("legacy"));
    Files.writeString(queue.resolve("queue.rec"), "quiesce-sample-emulator/1 queue\n"
        + "{\"name\":\"legacy\",\"created\":1700000000000,\"attributes\":{\"DelaySeconds\":\"0\","
        + "\"MaximumMessageSize\":\"1048576\",\"MessageRetentionPeriod\":\"345600\",\"ReceiveMessageWaitTimeSeconds\":\"0\","
        + "\"VisibilityTimeout\":\"30\"},\"body_length\":0}\n");
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest("old".getBytes(StandardCharsets.UTF_8)));
    Files.writeString(queue.resolve("0000000000000000000.msg"), "quiesce-sample-emulator/1 message\n"
        + "{\"id\":\"m-1\",\"seq\":0,\"body\":\"old\",\"md5\":\"" + md5 + "\",\"sent\":1700000000000,\"body_length\":0}\n");

    try (InProcessEmulator again = EmulatorLauncher.of(SampleEmulator.class).dataDir("emulator.data_dir", dir).startInProcess();
        SqsClient sqs = AwsClients.sqs(again.port())) {
      String url = sqs.getQueueUrl(b -> b.queueName("legacy")).queueUrl();
      List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("All")).messages();
      assertThat(got).extracting(Message::body).containsExactly("old");
      assertThat(got.get(0).messageAttributes()).isEmpty();
      assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEmpty();
    }
  }
}
