package io.quiesce.http.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which raw paths have a dot segment, each dot written as itself or percent-encoded in either case. */
class DotSegmentsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/objs/../health/x", "/objs/%2e%2e/health/x", "/objs/%2E%2E/health/x", "/objs/%2E./health/x",
      "/objs/.%2e/health/x", "/objs/.%2E/health/x", "/./x", "/%2e/x", "/%2E/x", "/x/.", "/x/..", "/x/%2e%2e",
      "..", ".", "../x", "/..", "/a//../b", "/a/b/./"})
  void aSegmentOfOneOrTwoDotsInAnyEncodingIsADotSegment(String path) {
    assertThat(DotSegments.present(path)).as(path).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/", "", "/x", "/objs/health/x", "/.hidden", "/x.", "/a.b", "/.../x", "/%2e%2e%2e/x", "/..x", "/x..",
      "/%2e%2ex", "/%2ex", "/%2f../x", "/%2", "/%2e%2", "/.%2", "/a%2e", "//", "/a/b/", "/_quiesce/health",
      "/bucket/key%2F..%2Fother"})
  void anythingElseIsAnOrdinaryPath(String path) {
    assertThat(DotSegments.present(path)).as(path).isFalse();
  }
}
