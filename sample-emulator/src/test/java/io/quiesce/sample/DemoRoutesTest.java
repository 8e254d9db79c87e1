package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo's delay parameter is read from the raw query without building a parameter map. */
class DemoRoutesTest {

  @Test
  void theDelayIsTheFirstMsParameterAndZeroWithoutOne() {
    assertThat(DemoRoutes.msParam(null)).isEqualTo("0");
    assertThat(DemoRoutes.msParam("")).isEqualTo("0");
    assertThat(DemoRoutes.msParam("ms=250")).isEqualTo("250");
    assertThat(DemoRoutes.msParam("x=1&ms=7&ms=9")).isEqualTo("7");
    assertThat(DemoRoutes.msParam("xms=5&y=2")).isEqualTo("0");
    assertThat(DemoRoutes.msParam("ms=")).isEqualTo("");
    assertThat(DemoRoutes.msParam("ms=%31")).as("not decoded: refused as not a number").isEqualTo("%31");
  }
}
