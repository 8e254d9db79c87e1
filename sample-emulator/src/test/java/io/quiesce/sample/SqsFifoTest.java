package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** FIFO queues through the AWS SDK v2: creation rules, deduplication, order per message group, sequence numbers. */
class SqsFifoTest extends SqsEmulatorTest {

  private String fifo(String name, Map<QueueAttributeName, String> more) {
    Map<QueueAttributeName, String> attributes = new java.util.HashMap<>(more);
    attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
    return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
  }

  @Test
  void aFifoQueueNeedsItsSuffixAndItsAttributeTogether() {
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("no-attribute.fifo")))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("no-suffix").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("standard-dedup")
        .attributes(Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeName"));

    String url = fifo("orders.fifo", Map.of());
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
        .containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
        .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
  }

  @Test
  void sendsNeedAGroupAndADeduplicationIdAndRefuseAPerMessageDelay() {
    String url = fifo("strict.fifo", Map.of());
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageDeduplicationId("d")))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MissingParameter"));
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g")))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("ContentBasedDeduplication"));
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g")
        .messageDeduplicationId("d").delaySeconds(5)))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("DelaySeconds"));
    String standard = sqs.createQueue(b -> b.queueName("standard-no-dedup")).queueUrl();
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(standard).messageBody("x").messageDeduplicationId("d")))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
  }

  @Test
  void aRepeatedDeduplicationIdIsAcknowledgedButNotEnqueuedTwice() {
    String url = fifo("dedup.fifo", Map.of());
    var first = sqs.sendMessage(b -> b.queueUrl(url).messageBody("pay 10").messageGroupId("acct-1").messageDeduplicationId("tx-1"));
    var again = sqs.sendMessage(b -> b.queueUrl(url).messageBody("pay 10").messageGroupId("acct-1").messageDeduplicationId("tx-1"));
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(again.sequenceNumber()).isEqualTo(first.sequenceNumber()).isNotBlank();
    var other = sqs.sendMessage(b -> b.queueUrl(url).messageBody("pay 10").messageGroupId("acct-1").messageDeduplicationId("tx-2"));
    assertThat(other.sequenceNumber()).isGreaterThan(first.sequenceNumber());

    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    assertThat(got).extracting(Message::messageId).containsExactly(first.messageId(), other.messageId());
    assertThat(got.get(0).attributes())
        .containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, "acct-1")
        .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, "tx-1")
        .containsEntry(MessageSystemAttributeName.SEQUENCE_NUMBER, first.sequenceNumber());
    // Deleting the message does not end its deduplication interval.
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
    assertThat(sqs.sendMessage(b -> b.queueUrl(url).messageBody("pay 10").messageGroupId("acct-1").messageDeduplicationId("tx-1"))
        .messageId()).isEqualTo(first.messageId());
  }

  @Test
  void contentBasedDeduplicationUsesTheBody() {
    String url = fifo("content.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    var r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody("same").messageGroupId("g").build(),
        SendMessageBatchRequestEntry.builder().id("b").messageBody("same").messageGroupId("g").build(),
        SendMessageBatchRequestEntry.builder().id("c").messageBody("different").messageGroupId("g").build()));
    assertThat(r.successful()).hasSize(3);
    assertThat(r.successful().get(1).messageId()).isEqualTo(r.successful().get(0).messageId());
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("same", "different");
  }

  @Test
  void aGroupWithAMessageInFlightDeliversNothingMoreUntilItIsDone() {
    String url = fifo("groups.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    for (String m : List.of("a1", "b1", "a2", "b2", "c1")) {
      sqs.sendMessage(b -> b.queueUrl(url).messageBody(m).messageGroupId(m.substring(0, 1)));
    }
    Message a1 = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(300)).messages().get(0);
    assertThat(a1.body()).isEqualTo("a1");
    // Group a is held by a1: the rest of the queue comes in order, without a2.
    List<Message> rest = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)).messages();
    assertThat(rest).extracting(Message::body).containsExactly("b1", "b2", "c1");
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();

    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(a1.receiptHandle()));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("a2");
  }

  @Test
  void aMessageReturningAfterItsTimeoutComesBeforeTheRestOfItsGroup() {
    String url = fifo("redeliver.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("first").messageGroupId("g"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("second").messageGroupId("g"));
    Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(300)).messages().get(0);
    sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("first", "second");
  }

  @Test
  void aRetriedReceiveWithTheSameAttemptIdGetsTheSameMessages() {
    String url = fifo("attempts.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("one").messageGroupId("g"));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("two").messageGroupId("g"));
    List<Message> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)
        .receiveRequestAttemptId("attempt-1")).messages();
    assertThat(first).extracting(Message::body).containsExactly("one", "two");

    List<Message> retry = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)
        .receiveRequestAttemptId("attempt-1")).messages();
    assertThat(retry).extracting(Message::receiptHandle).isEqualTo(first.stream().map(Message::receiptHandle).toList());
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).receiveRequestAttemptId("attempt-2")).messages())
        .isEmpty();
  }
}
