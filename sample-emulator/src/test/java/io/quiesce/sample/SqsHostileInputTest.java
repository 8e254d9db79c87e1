package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import io.quiesce.test.RawExchange;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Client mistakes sent to SQS get SQS's 400 error shape, never a 500; bodies are bounded whatever their framing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class SqsHostileInputTest {

  @Emulator
  InProcessEmulator emulator;
  private HttpClient http;
  private String url;

  @BeforeAll
  void start() throws Exception {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    url = new JsonObject(call("CreateQueue", "{\"QueueName\":\"hostile\"}").body()).getString("QueueUrl");
  }


  @Test
  void wrongJsonTypesAreInvalidParameterValueNotInternalError() throws Exception {
    String q = "\"QueueUrl\":\"" + url + "\"";
    for (String[] c : new String[][] {
        {"SendMessageBatch", "{" + q + ",\"Entries\":\"x\"}"},
        {"SendMessageBatch", "{" + q + ",\"Entries\":[\"x\"]}"},
        {"SendMessageBatch", "{" + q + ",\"Entries\":[null]}"},
        {"SendMessageBatch", "{" + q + ",\"Entries\":[{\"Id\":5,\"MessageBody\":\"b\"}]}"},
        {"CreateQueue", "{\"QueueName\":\"typed\",\"Attributes\":\"str\"}"},
        {"GetQueueAttributes", "{" + q + ",\"AttributeNames\":\"All\"}"},
        {"GetQueueAttributes", "{" + q + ",\"AttributeNames\":[1]}"},
        {"ReceiveMessage", "{" + q + ",\"AttributeNames\":{}}"},
        {"ListQueues", "{\"QueueNamePrefix\":7}"},
        {"SendMessage", "{\"QueueUrl\":[],\"MessageBody\":\"b\"}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageAttributes\":\"x\"}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageAttributes\":{\"a\":7}}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageAttributes\":{\"a\":{\"DataType\":1,\"StringValue\":\"v\"}}}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageAttributes\":{\"a\":{\"DataType\":\"Binary\",\"BinaryValue\":\"%%\"}}}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageSystemAttributes\":{\"Other\":{}}}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"DelaySeconds\":\"5\"}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"DelaySeconds\":1.5}"},
        {"SendMessage", "{" + q + ",\"MessageBody\":\"b\",\"MessageGroupId\":[]}"},
        {"ReceiveMessage", "{" + q + ",\"MessageAttributeNames\":\"All\"}"},
        {"CreateQueue", "{\"QueueName\":\"typed-tags\",\"tags\":[\"a\"]}"},
        {"CreateQueue", "{\"QueueName\":\"typed-tags\",\"tags\":{\"a\":1}}"},
        {"CreateQueue", "{\"QueueName\":\"typed.fifo\",\"Attributes\":{\"FifoQueue\":true}}"},
        {"SetQueueAttributes", "{" + q + ",\"Attributes\":{\"RedrivePolicy\":{}}}"},
        {"SetQueueAttributes", "{" + q + ",\"Attributes\":{\"RedrivePolicy\":\"[1]\"}}"},
        {"SetQueueAttributes", "{" + q + ",\"Attributes\":{\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":{},\\\"maxReceiveCount\\\":1}\"}}"},
        {"SetQueueAttributes", "{" + q + ",\"Attributes\":{\"DelaySeconds\":5}}"},
        {"TagQueue", "{" + q + ",\"Tags\":\"x\"}"},
        {"TagQueue", "{" + q + "}"},
        {"UntagQueue", "{" + q + ",\"TagKeys\":[1]}"}}) {
      HttpResponse<String> r = call(c[0], c[1]);
      assertThat(r.statusCode()).as(c[1] + " -> " + r.body()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("__type")).as(c[1]).startsWith("com.amazonaws.sqs#");
    }
  }

  @Test
  void aChunkedBodyIsRefusedOnceItPassesTheLimit() throws Exception {
    long limit = 2L * 1024 * 1024;
    long[] sent = {0};
    // 200 MiB offered without a Content-Length; refused after about the limit, not buffered whole.
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return sent[0]++ < 200L * 1024 * 1024 ? 'x' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int n = (int) Math.min(len, 200L * 1024 * 1024 - sent[0]);
        if (n <= 0) {
          return -1;
        }
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        sent[0] += n;
        return n;
      }
    };
    HttpResponse<String> r;
    try {
      r = http.send(request("SendMessage").POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("InvalidParameterValue");
    } catch (java.io.IOException closedWhileSending) {
      // the server answered and closed while the client was still writing: refused all the same
    }
    assertThat(sent[0]).as("bytes the client got to send").isLessThan(100L * 1024 * 1024);
    assertThat(limit).isPositive();
  }

  @Test
  void aOneMebibyteMessageIsAcceptedAndOneByteMoreIsNot() throws Exception {
    String body = "m".repeat(1024 * 1024);
    assertThat(call("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"" + body + "\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> r = call("SendMessage", "{\"QueueUrl\":\"" + url + "\",\"MessageBody\":\"" + body + "m\"}");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void listQueuesPagesAtAThousandWithANextToken() throws Exception {
    for (int i = 0; i < 1001; i++) {
      assertThat(call("CreateQueue", "{\"QueueName\":\"page-" + String.format("%04d", i) + "\"}").statusCode()).isEqualTo(200);
    }
    JsonObject first = new JsonObject(call("ListQueues", "{\"QueueNamePrefix\":\"page-\"}").body());
    assertThat(first.getJsonArray("QueueUrls")).hasSize(1000);
    assertThat(first.getString("NextToken")).isNotNull();
    JsonObject second = new JsonObject(call("ListQueues", "{\"QueueNamePrefix\":\"page-\",\"NextToken\":\"" + first.getString("NextToken") + "\"}").body());
    assertThat(second.getJsonArray("QueueUrls")).hasSize(1);
    assertThat(second.containsKey("NextToken")).isFalse();
  }

  @Test
  void aHostHeaderThatIsNoHostIsRefusedNotEchoedIntoQueueUrls() throws Exception {
    String json = "{\"QueueName\":\"hostile\"}";
    List<String> heads = new ArrayList<>();
    for (String host : new String[] {"evil.example\"><x", "h%20x", "127.0.0.1:4566/extra", "a b", "evil.example/\"><x"}) {
      heads.add(RawExchange.send(emulator.port(), "POST / HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Target: AmazonSQS.GetQueueUrl\r\n"
          + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " + json.length() + "\r\n\r\n", json.getBytes()));
    }
    assertThat(heads).allSatisfy(h -> assertThat(h).startsWith("HTTP/1.1 400"));
    assertThat(RawExchange.send(emulator.port(), "POST / HTTP/1.1\r\nHost: localhost:4566\r\nX-Amz-Target: AmazonSQS.GetQueueUrl\r\n"
        + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: " + json.length() + "\r\n\r\n", json.getBytes())).startsWith("HTTP/1.1 200");
  }

  private HttpRequest.Builder request(String action) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + "/"))
        .header("X-Amz-Target", "AmazonSQS." + action).header("Content-Type", "application/x-amz-json-1.0");
  }

  private HttpResponse<String> call(String action, String json) throws Exception {
    return http.send(request(action).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
