package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.junit.jupiter.api.Test;

/** The text format's time stamp, computed by hand, against java.time's for the same instants. */
class TextLineTest {

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void everyDayAndTimeOfDayIsWrittenAsJavaTimeWritesItInUtc() {
    // Leap days, ends of months and years, the epoch, times before it, and this session's day.
    long[] seconds = {0, -1, -86_400, 951_782_400 /* 2000-02-29 */, 4_107_456_000L /* 2100-02-28 */,
        1_709_164_800 /* 2024-02-29 */, 1_735_689_599 /* 2024-12-31T23:59:59 */, 1_795_000_249};
    for (long second : seconds) {
      for (int millis : new int[] {0, 7, 99, 999}) {
        assertStamp(second, millis);
      }
    }
    for (long second = -400L * 366 * 86_400; second < 500L * 366 * 86_400; second += 86_400 * 7 + 3_601) {
      assertStamp(second, (int) Math.floorMod(second, 1000));
    }
  }

  private static void assertStamp(long epochSecond, int millis) {
    MutableInstant instant = new MutableInstant();
    instant.initFromEpochSecond(epochSecond, millis * 1_000_000 + 123_456);
    StringBuilder line = new StringBuilder();
    TextLine.timestamp(instant.getEpochSecond(), instant.getNanoOfSecond(), line);
    assertThat(line.toString()).as("epoch second %d, %d ms", epochSecond, millis)
        .isEqualTo(ISO_MILLIS.format(java.time.Instant.ofEpochSecond(epochSecond, millis * 1_000_000L)));
  }
}
