package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.Emulator;
import io.quiesce.test.InProcessEmulator;
import io.quiesce.test.QuiesceTest;
import io.quiesce.test.RawExchange;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a careless or hostile client sends to S3 gets the 4xx S3 would send, with an S3 error
 * document that XML 1.0 parsers read: never a 500, never a stack overflow, never a silent mix-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@QuiesceTest(SampleEmulator.class)
class S3HostileInputTest {

  @Emulator
  InProcessEmulator emulator;
  private HttpClient http;

  @BeforeAll
  void start() throws Exception {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThat(send("PUT", "/hostile", "").statusCode()).isEqualTo(200);
  }


  @Test
  void escapesThatAreNotUtf8AreRefusedRatherThanCollidingAsU_FFFD() throws Exception {
    assertError(send("PUT", "/hostile/a%ff", "ff"), 400, "InvalidURI");
    assertError(send("PUT", "/hostile/a%fe", "fe"), 400, "InvalidURI");
    assertThat(send("PUT", "/hostile/a%C3%BC", "u-umlaut").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/hostile/a%C3%BC", null).body()).isEqualTo("u-umlaut");
  }

  @Test
  void aKeyLongerThan1024BytesIsKeyTooLong() throws Exception {
    assertError(send("PUT", "/hostile/" + "k".repeat(1025), "x"), 400, "KeyTooLongError");
    assertThat(send("PUT", "/hostile/" + "k".repeat(1024), "x").statusCode()).isEqualTo(200);
  }

  @Test
  void aSuffixRangeOfAnEmptyObjectIsInvalidRange() throws Exception {
    assertThat(send("PUT", "/hostile/empty", "").statusCode()).isEqualTo(200);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/hostile/empty")).header("Range", "bytes=-5").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(r, 416, "InvalidRange");
    assertThat(send("GET", "/hostile/empty", null).statusCode()).isEqualTo(200);
  }

  @Test
  void anAwsChunkedSizeThatWouldOverflowIsABadRequest() throws Exception {
    for (String size : new String[] {"7fffffff", "ffffffff", "ffffffffffffffffff", "-1"}) {
      String head = "PUT /hostile/chunked HTTP/1.1\r\nHost: x\r\nContent-Encoding: aws-chunked\r\n"
          + "x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Length: 20\r\n\r\n";
      String status = RawExchange.send(emulator.port(), head, (size + "\r\nabcdefghijklmnopqrstuvwxyz").substring(0, 20).getBytes());
      assertThat(status).as(size).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void entityTooLargeIsAnsweredWithout100ContinueFirst() throws Exception {
    String status = RawExchange.send(emulator.port(), "PUT /hostile/huge HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n"
        + "Expect: 100-continue\r\n\r\n", null);
    assertThat(status).startsWith("HTTP/1.1 400");
    assertThat(status.toLowerCase()).contains("connection: close");
  }

  @Test
  void transferEncodingOtherThanChunkedWithAContentLengthIsRefused() throws Exception {
    String status = RawExchange.send(emulator.port(), "PUT /hostile/te HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n"
        + "Content-Length: 3\r\n\r\n", "abc".getBytes());
    assertThat(status).startsWith("HTTP/1.1 400");
    assertThat(status.toLowerCase()).contains("connection: close");
  }

  @Test
  void deeplyNestedDeleteObjectsXmlIsMalformedNotAStackOverflow() throws Exception {
    String nested = "<Delete><Object><Key>" + "<a>".repeat(20_000) + "x" + "</a>".repeat(20_000) + "</Key></Object></Delete>";
    assertError(send("POST", "/hostile?delete", nested), 400, "MalformedXML");
    String doctype = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e \"x\">]><Delete><Object><Key>&e;</Key></Object></Delete>";
    assertError(send("POST", "/hostile?delete", doctype), 400, "MalformedXML");
  }

  @Test
  void aDeleteObjectsBodyOverItsCapIsRefusedWhateverItsFraming() throws Exception {
    byte[] big = ("<Delete>" + "<Object><Key>k</Key></Object>".repeat(80_000) + "</Delete>").getBytes();
    // Chunked (no Content-Length): refused as soon as the cap is crossed.
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/hostile?delete"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(), HttpResponse.BodyHandlers.ofString());
    assertError(r, 400, "EntityTooLarge");
  }

  @Test
  void keysWithControlCharactersAreListedOnlyUrlEncodedAndErrorsStayValidXml() throws Exception {
    assertThat(send("PUT", "/hostile/ctl%01key", "x").statusCode()).isEqualTo(200);
    HttpResponse<String> plain = send("GET", "/hostile?list-type=2&prefix=ctl", null);
    assertError(plain, 400, "InvalidArgument");
    HttpResponse<String> url = send("GET", "/hostile?list-type=2&prefix=ctl&encoding-type=url", null);
    assertThat(url.statusCode()).isEqualTo(200);
    assertThat(url.body()).contains("<Key>ctl%01key</Key>");
    parse(url.body());
    HttpResponse<String> missing = send("GET", "/hostile/missing%01key", null);
    assertError(missing, 404, "NoSuchKey");
    assertThat(missing.body()).contains("<Resource>/hostile/missing%01key</Resource>");
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
    return http.send(HttpRequest.newBuilder(uri(path)).method(method, p).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + emulator.port() + path);
  }

  private static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains("<Code>" + code + "</Code>");
    parse(r.body());
  }

  /** Fails unless {@code xml} is a well-formed XML 1.0 document. */
  private static void parse(String xml) throws Exception {
    DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
