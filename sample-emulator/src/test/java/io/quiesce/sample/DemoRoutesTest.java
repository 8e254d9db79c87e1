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

  @Test
  void theDelayIsReadInPlaceAsLongParseLongReadsItsText() {
    for (String query : new String[] {null, "", "ms=0", "ms=250", "x=1&ms=7&ms=9", "xms=5&y=2", "ms=", "ms=%31", "ms=+5",
        "ms=-5", "ms=-0", "ms=007", "ms=1x", "ms= 1", "ms=600000", "ms=999999999999999999", "ms=9999999999999999999", "ms=-"}) {
      String text = DemoRoutes.msParam(query);
      long parsed;
      try {
        parsed = Long.parseLong(text);
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      long read = DemoRoutes.msValue(query, 0);
      if (parsed >= 0 && parsed <= DemoRoutes.MAX_DELAY_MS) {
        assertThat(read).as("ms of %s", query).isEqualTo(parsed);
      } else {
        assertThat(read < 0 || read > DemoRoutes.MAX_DELAY_MS).as("%s refused (read %s)", query, read).isTrue();
      }
    }
    assertThat(DemoRoutes.msValue("x=1", 1000)).isEqualTo(1000);
  }
}
