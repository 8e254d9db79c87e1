package io.quiesce.sample.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Path decoding is strict: a malformed escape or bytes that are not UTF-8 are 400 InvalidURI, so
 * two different keys never decode to one. (Over HTTP, {@code /b/%zz} is refused before S3 sees it,
 * by the runtime's router; this checks S3's own decoding.)
 */
class PercentDecodingTest {

  @Test
  void malformedEscapesAreInvalidUri() {
    for (String raw : new String[] {"/b/%zz", "/b/%e", "/b/%", "/b/a%g0"}) {
      assertThatThrownBy(() -> S3Api.decodePath(raw)).as(raw).isInstanceOfSatisfying(S3Error.class, e -> {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo("InvalidURI");
      });
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedInsteadOfBecomingU_FFFD() {
    assertThatThrownBy(() -> S3Api.decodePath("/b/%ff")).isInstanceOf(S3Error.class);
    assertThatThrownBy(() -> S3Api.decodePath("/b/%fe")).isInstanceOf(S3Error.class);
    assertThat(S3Api.decodePath("/b/%C3%BC+x%20y")).isEqualTo("/b/\u00fc+x y");
    assertThat(S3Api.decodePath("/b/\u00fc\uD83D\uDE00")).isEqualTo("/b/\u00fc\uD83D\uDE00");
  }
}
