package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Delays, dead-letter queues, tags and per-entry batch failures through the AWS SDK v2. */
class SqsQueueFeaturesTest extends SqsEmulatorTest {

  @Test
  void aDelayedMessageIsInvisibleUntilItsDelayPasses() {
    String url = sqs.createQueue(b -> b.queueName("delayed")).queueUrl();
    long sent = System.nanoTime();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(2));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo("1");

    // A long poll is woken when the delay is over.
    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)).messages();
    assertThat(got).extracting(Message::body).containsExactly("later");
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").delaySeconds(901)))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void theQueueDelayAppliesToMessagesSentWithoutTheirOwn() {
    String url = sqs.createQueue(b -> b.queueName("queue-delay")).queueUrl();
    sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "600")));
    assertThat(attribute(url, QueueAttributeName.DELAY_SECONDS)).isEqualTo("600");
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("held"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("now").delaySeconds(0));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("now");
    assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).isEqualTo("1");
    assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "901"))))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue"));
  }

  @Test
  void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() {
    String dlq = sqs.createQueue(b -> b.queueName("dead-letters")).queueUrl();
    String policy = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dead-letters\",\"maxReceiveCount\":\"2\"}";
    String url = sqs.createQueue(b -> b.queueName("poisoned").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy))).queueUrl();
    assertThat(attribute(url, QueueAttributeName.REDRIVE_POLICY)).contains("\"maxReceiveCount\":2").contains("dead-letters");
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison")).messageId();

    for (int i = 1; i <= 2; i++) {
      Message m = sqs.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages().get(0);
      assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(i));
      sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
    }
    // The third receive would exceed maxReceiveCount: the message is moved instead.
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    assertThat(sqs.receiveMessage(b -> b.queueUrl(dlq).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages())
        .singleElement().satisfies(m -> {
          assertThat(m.messageId()).isEqualTo(id);
          assertThat(m.body()).isEqualTo("poison");
          assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN,
              "arn:aws:sqs:us-east-1:000000000000:poisoned");
        });
    assertThat(sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(url);
  }

  @Test
  void aRedrivePolicyIsCheckedAsSqsChecksIt() {
    sqs.createQueue(b -> b.queueName("dlq.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
    String url = sqs.createQueue(b -> b.queueName("needs-dlq")).queueUrl();
    for (String bad : List.of(
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:missing\",\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq.fifo\",\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:needs-dlq\",\"maxReceiveCount\":0}",
        "not json")) {
      assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, bad))))
          .as(bad)
          .isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
          });
    }
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
        .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
    // Asked for by name, an attribute the queue does not have is left out, as SQS does.
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY,
        QueueAttributeName.FIFO_QUEUE)).attributes()).isEmpty();
  }

  @Test
  void tagsAreSetAtCreationAddedRemovedAndListed() {
    String url = sqs.createQueue(b -> b.queueName("tagged").tags(Map.of("team", "billing", "env", "dev"))).queueUrl();
    assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(Map.of("team", "billing", "env", "dev"));
    sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("env", "prod", "cost-center", "42")));
    sqs.untagQueue(b -> b.queueUrl(url).tagKeys("team"));
    assertThat(sqs.listQueueTags(b -> b.queueUrl(url)).tags()).isEqualTo(Map.of("env", "prod", "cost-center", "42"));
    assertThatThrownBy(() -> sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("k".repeat(129), "v"))))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void anOversizedBatchEntryFailsAloneWithItsReason() {
    String url = sqs.createQueue(b -> b.queueName("small-messages").attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024")))
        .queueUrl();
    var r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("fits").messageBody("small").build(),
        SendMessageBatchRequestEntry.builder().id("too-big").messageBody("x".repeat(2000)).build()));
    assertThat(r.successful()).extracting(e -> e.id()).containsExactly("fits");
    assertThat(r.failed()).singleElement().satisfies(f -> {
      assertThat(f.id()).isEqualTo("too-big");
      assertThat(f.senderFault()).isTrue();
      assertThat(f.code()).isEqualTo("InvalidParameterValue");
      assertThat(f.message()).contains("shorter than 1024 bytes").contains("2000 bytes");
    });
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("small");
  }

  private String attribute(String url, QueueAttributeName name) {
    return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name);
  }
}
