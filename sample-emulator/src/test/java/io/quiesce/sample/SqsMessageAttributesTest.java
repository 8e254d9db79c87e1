package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Message attributes through the AWS SDK v2, which checks MD5OfMessageAttributes of every send and
 * receive itself: a digest computed otherwise than SQS computes it fails the call.
 */
class SqsMessageAttributesTest extends SqsEmulatorTest {

  private static Map<String, MessageAttributeValue> attributes() {
    Map<String, MessageAttributeValue> a = new LinkedHashMap<>();
    a.put("trace.id", string("String", "abc-123"));
    a.put("trace.span", string("String.span", "s-1"));
    a.put("count", string("Number", "42"));
    a.put("ratio", string("Number.float", "-1.5e3"));
    a.put("retries", string("Number.int", "3"));
    a.put("thumbnail", MessageAttributeValue.builder().dataType("Binary.png")
        .binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, 2, (byte) 0xff})).build());
    a.put("note", string("String", "héllo wörld ✓"));
    return a;
  }

  private static MessageAttributeValue string(String type, String value) {
    return MessageAttributeValue.builder().dataType(type).stringValue(value).build();
  }

  @Test
  void attributesOfEveryTypeComeBackWithTheDigestTheSdkChecks() {
    String url = sqs.createQueue(b -> b.queueName("attrs-all")).queueUrl();
    var sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("with attributes").messageAttributes(attributes()));
    assertThat(sent.md5OfMessageAttributes()).hasSize(32);

    Message got = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("All")).messages().get(0);
    assertThat(got.messageAttributes()).isEqualTo(attributes());
    assertThat(got.md5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
  }

  @Test
  void receiveReturnsOnlyTheAttributesAskedForByNameOrPrefix() {
    String url = sqs.createQueue(b -> b.queueName("attrs-filtered")).queueUrl();
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("one").messageAttributes(attributes()));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("two").messageAttributes(attributes()));
    sqs.sendMessage(b -> b.queueUrl(url).messageBody("three").messageAttributes(attributes()));

    Message byPrefix = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames("trace.*", "count")).messages().get(0);
    assertThat(byPrefix.messageAttributes()).containsOnlyKeys("trace.id", "trace.span", "count");
    Message none = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
    assertThat(none.messageAttributes()).isEmpty();
    assertThat(none.md5OfMessageAttributes()).isNull();
    Message all = sqs.receiveMessage(b -> b.queueUrl(url).messageAttributeNames(".*")).messages().get(0);
    assertThat(all.messageAttributes()).hasSize(7);
  }

  @Test
  void batchEntriesCarryTheirOwnAttributes() {
    String url = sqs.createQueue(b -> b.queueName("attrs-batch")).queueUrl();
    var r = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody("a").messageAttributes(Map.of("k", string("String", "A"))).build(),
        SendMessageBatchRequestEntry.builder().id("b").messageBody("b").build()));
    assertThat(r.successful()).hasSize(2);
    List<Message> got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).messageAttributeNames("All")).messages();
    assertThat(got).extracting(m -> m.messageAttributes().isEmpty() ? "-" : m.messageAttributes().get("k").stringValue())
        .containsExactly("A", "-");
  }

  @Test
  void theTraceHeaderSystemAttributeIsStoredAndReturned() {
    String url = sqs.createQueue(b -> b.queueName("attrs-system")).queueUrl();
    var sent = sqs.sendMessage(b -> b.queueUrl(url).messageBody("traced").messageSystemAttributes(Map.of(
        MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
        MessageSystemAttributeValue.builder().dataType("String").stringValue("Root=1-5759e988-bd862e3fe1be46a994272793").build())));
    assertThat(sent.md5OfMessageSystemAttributes()).hasSize(32);
    Message got = sqs.receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER))
        .messages().get(0);
    assertThat(got.attributes()).containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER,
        "Root=1-5759e988-bd862e3fe1be46a994272793");
  }

  @Test
  void badAttributesAreRefusedWithInvalidParameterValue() {
    String url = sqs.createQueue(b -> b.queueName("attrs-bad")).queueUrl();
    for (Map<String, MessageAttributeValue> bad : List.of(
        Map.of("n", string("Number", "not a number")),
        Map.of("n", string("Integer", "1")),
        Map.of("AWS.reserved", string("String", "x")),
        Map.of("s", string("String", "")),
        Map.of("s", MessageAttributeValue.builder().dataType("String").build()))) {
      assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(bad)))
          .as("%s", bad)
          .isInstanceOfSatisfying(SqsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
          });
    }
    Map<String, MessageAttributeValue> eleven = new LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      eleven.put("a" + i, string("String", "v"));
    }
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody("x").messageAttributes(eleven)))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage()).contains("[11]"));
    assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
  }

  @Test
  void attributesCountTowardsTheMessageSizeLimit() {
    String url = sqs.createQueue(b -> b.queueName("attrs-size").attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024")))
        .queueUrl();
    String body = "x".repeat(1000);
    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
    assertThatThrownBy(() -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)
        .messageAttributes(Map.of("padding", string("String", "y".repeat(100))))))
        .isInstanceOfSatisfying(SqsException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .contains("shorter than 1024 bytes"));
  }
}
