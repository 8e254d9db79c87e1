package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quiesce.http.RuntimeInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/** Every SQS operation of the emulator through the AWS SDK for Java v2 (JSON protocol), errors included. */
class SqsApiTest extends SqsEmulatorTest {

  @Test
  void everyAnswerCarriesARequestId() {
    String url = sqs.createQueue(b -> b.queueName("with-request-ids")).queueUrl();
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("x")).responseMetadata().requestId();
    assertThat(id).isNotNull().isNotEqualTo("UNKNOWN");
    assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("no-such-queue-for-ids")))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.requestId()).isNotNull().isNotEqualTo(id));
  }

  @Test
  void queuesAreCreatedFoundListedAndDeleted() {
    String url = sqs.createQueue(b -> b.queueName("orders")).queueUrl();
    assertThat(url).isEqualTo("http://127.0.0.1:" + emulator.port() + "/000000000000/orders");
    assertThat(sqs.getQueueUrl(b -> b.queueName("orders")).queueUrl()).isEqualTo(url);
    // Creating it again with the same attributes is fine; with other attributes it is not.
    assertThat(sqs.createQueue(b -> b.queueName("orders")).queueUrl()).isEqualTo(url);
    sqs.createQueue(b -> b.queueName("orders-slow").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")));
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("orders-slow")
        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10")))).isInstanceOf(QueueNameExistsException.class);
    sqs.createQueue(b -> b.queueName("invoices"));

    assertThat(sqs.listQueues(b -> b.queueNamePrefix("orders")).queueUrls())
        .containsExactly(url, url.replace("orders", "orders-slow"));
    assertThat(sqs.listQueues().queueUrls()).hasSizeGreaterThanOrEqualTo(3);

    sqs.deleteQueue(b -> b.queueUrl(url));
    assertThatThrownBy(() -> sqs.getQueueUrl(b -> b.queueName("orders"))).isInstanceOf(QueueDoesNotExistException.class);
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x"))).isInstanceOf(QueueDoesNotExistException.class);
    assertThatThrownBy(() -> sqs.deleteQueue(b -> b.queueUrl(url))).isInstanceOf(QueueDoesNotExistException.class);
  }

  @Test
  void badAttributesAreRefusedWithTheirCodes() {
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("bad-attrs")
        .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "-1"))))
        .isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue"));
    assertThatThrownBy(() -> sqs.createQueue(b -> b.queueName("bad name!")))
        .isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).statusCode()).isEqualTo(400));
  }

  @Test
  void sendReceiveDeleteWithMd5AndCounts() {
    String url = sqs.createQueue(b -> b.queueName("roundtrip")).queueUrl();
    // The SDK checks MD5OfMessageBody itself: a wrong one would throw here.
    String id = sqs.sendMessage(b -> b.queueUrl(url).messageBody("héllo wörld")).messageId();
    assertThat(counts(url)).containsExactly(1, 0);

    ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL));
    assertThat(r.messages()).singleElement().satisfies(m -> {
      assertThat(m.messageId()).isEqualTo(id);
      assertThat(m.body()).isEqualTo("héllo wörld");
      assertThat(m.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")
          .containsKey(MessageSystemAttributeName.SENT_TIMESTAMP);
    });
    assertThat(counts(url)).containsExactly(0, 1);

    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(r.messages().get(0).receiptHandle()));
    assertThat(counts(url)).containsExactly(0, 0);
    // Deleting again succeeds, as in SQS; a handle that is not one is refused.
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(r.messages().get(0).receiptHandle()));
    assertThatThrownBy(() -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("garbage")))
        .isInstanceOf(ReceiptHandleIsInvalidException.class);
  }

  @Test
  void batchSendsInOrderAndRefusesBadBatches() {
    String url = sqs.createQueue(b -> b.queueName("batch")).queueUrl();
    SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 10)
        .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m" + i).build()).toList()));
    assertThat(r.successful()).hasSize(10);
    assertThat(r.failed()).isEmpty();

    List<String> bodies = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().stream()
        .map(Message::body).toList();
    assertThat(bodies).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");

    assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(IntStream.range(0, 11)
        .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("m").build()).toList())))
        .isInstanceOf(TooManyEntriesInBatchRequestException.class);
    assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("same").messageBody("a").build(),
        SendMessageBatchRequestEntry.builder().id("same").messageBody("b").build())))
        .isInstanceOf(BatchEntryIdsNotDistinctException.class);
  }

  @Test
  void receivedMessagesStayHiddenUntilVisibilityChanges() {
    String url = sqs.createQueue(b -> b.queueName("visibility")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("once"));
    Message first = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(300)).messages().get(0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();

    sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));

    Message again = sqs.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNames(MessageSystemAttributeName.ALL))
        .messages().get(0);
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(again.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
    // The handle of the earlier receive still deletes the message in flight, as in SQS.
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()));
    assertThatThrownBy(() -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()).visibilityTimeout(5)))
        .isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).awsErrorDetails().errorCode()).contains("MessageNotInflight"));
  }

  @Test
  void aBatchWhoseBodiesAddUpToMoreThanOneMibIsRefused() {
    String url = sqs.createQueue(b -> b.queueName("big-batch")).queueUrl();
    String body = "x".repeat(600 * 1024);
    assertThatThrownBy(() -> sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody(body).build(),
        SendMessageBatchRequestEntry.builder().id("b").messageBody(body).build())))
        .isInstanceOf(software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException.class);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
  }

  @Test
  void batchesDeleteAndChangeVisibilityReportingEachEntry() {
    String url = sqs.createQueue(b -> b.queueName("batch-ops")).queueUrl();
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
    }
    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(300)).messages();
    assertThat(got).hasSize(3);
    var changed = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
        e -> e.id("back").receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0),
        e -> e.id("bad").receiptHandle("garbage").visibilityTimeout(0)));
    assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("back");
    assertThat(changed.failed()).singleElement().satisfies(f -> {
      assertThat(f.id()).isEqualTo("bad");
      assertThat(f.senderFault()).isTrue();
    });
    var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
        e -> e.id("one").receiptHandle(got.get(1).receiptHandle()),
        e -> e.id("two").receiptHandle(got.get(2).receiptHandle()),
        e -> e.id("bad").receiptHandle("garbage")));
    assertThat(deleted.successful()).extracting(e -> e.id()).containsExactlyInAnyOrder("one", "two");
    assertThat(deleted.failed()).extracting(f -> f.id()).containsExactly("bad");
    // Only the message made visible again is left.
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("m0");
    assertThatThrownBy(() -> sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
        e -> e.id("same").receiptHandle("1-x"), e -> e.id("same").receiptHandle("2-y"))))
        .isInstanceOf(BatchEntryIdsNotDistinctException.class);
  }

  @Test
  void setQueueAttributesChangesSettingsAndRefusesWhatItCannotSet() {
    String url = sqs.createQueue(b -> b.queueName("reconfigured")).queueUrl();
    sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "120",
        QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "2048")));
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
        .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "120")
        .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "2048");
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(3000))))
        .isInstanceOf(SqsException.class);
    assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "99999")))).isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).awsErrorDetails().errorCode()).contains("InvalidAttributeValue"));
    assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(
        QueueAttributeName.POLICY, "{}")))).isInstanceOf(SqsException.class)
        .satisfies(e -> assertThat(((SqsException) e).awsErrorDetails().errorCode()).contains("InvalidAttributeName"));
    assertThat(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
        .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "120");
  }

  @Test
  void purgeEmptiesTheQueue() {
    String url = sqs.createQueue(b -> b.queueName("purge")).queueUrl();
    for (int i = 0; i < 5; i++) {
      int n = i;
      sqs.sendMessage(b -> b.queueUrl(url).messageBody("p" + n));
    }
    sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2));
    assertThat(counts(url)).containsExactly(3, 2);
    sqs.purgeQueue(b -> b.queueUrl(url));
    assertThat(counts(url)).containsExactly(0, 0);
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
  }

  @Test
  void aLongPollAnswersAsSoonAsAMessageArrives() throws Exception {
    String url = sqs.createQueue(b -> b.queueName("long-poll")).queueUrl();
    CompletableFuture<ReceiveMessageResponse> waiting = CompletableFuture.supplyAsync(
        () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(20)));
    // Sent while the poll waits (or just before it: either way it must get the message).
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> ((RuntimeInstance) emulator.runtime()).tracker().inFlight() >= 1);
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake up"));
    assertThat(waiting.get(30, TimeUnit.SECONDS).messages()).extracting(Message::body).containsExactly("wake up");
  }

  @Test
  void getQueueAttributesReportsConfigurationAndCounts() {
    String url = sqs.createQueue(b -> b.queueName("attrs").attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "45", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "2"))).queueUrl();
    Map<QueueAttributeName, String> all = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes();
    assertThat(all).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "45")
        .containsEntry(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "2")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
        .containsEntry(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:us-east-1:000000000000:attrs")
        .containsKey(QueueAttributeName.CREATED_TIMESTAMP);
    assertThatThrownBy(() -> sqs.getQueueAttributes(b -> b.queueUrl(url.replace("attrs", "nope"))
        .attributeNames(QueueAttributeName.ALL))).isInstanceOf(QueueDoesNotExistException.class);
  }

  /** [visible, not visible] as GetQueueAttributes reports them. */
  private List<Integer> counts(String url) {
    Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
    return List.of(Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
  }

  @Test
  void anOlderQueryProtocolClientGetsAnErrorItCanReadSayingWhatToUse() throws Exception {
    java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + emulator.port() + "/"))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("Action=CreateQueue&QueueName=legacy&Version=2012-11-05"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("<Code>InvalidAction</Code>").contains("JSON protocol");
    assertThat(sqs.listQueues().queueUrls()).noneMatch(url -> url.endsWith("/legacy"));
  }
}
