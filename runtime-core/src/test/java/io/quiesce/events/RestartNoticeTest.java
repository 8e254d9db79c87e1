package io.quiesce.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartNoticeTest {

  @Test
  void aValidNoticeWithoutTargetIsForEveryone() throws Exception {
    RestartNotice n = RestartNotice.parse(
        "{\"initiator\":\"ops\",\"reason\":\"new image\",\"delay_seconds\":2.5,\"timestamp\":\"2026-01-02T03:04:05Z\"}");

    assertThat(n.initiator()).isEqualTo("ops");
    assertThat(n.delay()).isEqualTo(Duration.ofMillis(2500));
    assertThat(n.timestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(n.targets("anything")).isTrue();
  }

  @Test
  void aTargetIsANameOrAList() throws Exception {
    String base = "\"initiator\":\"ops\",\"reason\":\"r\",\"delay_seconds\":0,\"timestamp\":\"2026-01-02T03:04:05Z\"";
    RestartNotice one = RestartNotice.parse("{" + base + ",\"target\":\"s3\"}");
    RestartNotice list = RestartNotice.parse("{" + base + ",\"target\":[\"s3\",\"sqs\"]}");

    assertThat(one.targets("s3")).isTrue();
    assertThat(one.targets("sqs")).isFalse();
    assertThat(list.targets("sqs")).isTrue();
    assertThat(list.targets("dynamo")).isFalse();
    assertThat(RestartNotice.parse(list.toJson())).isEqualTo(list);
  }

  @Test
  void notJsonIsRefused() {
    assertThatThrownBy(() -> RestartNotice.parse("restart now!")).isInstanceOf(InvalidNoticeException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void everyBadFieldIsNamed() {
    assertThatThrownBy(() -> RestartNotice.parse(
        "{\"initiator\":\"\",\"delay_seconds\":-1,\"timestamp\":\"yesterday\",\"target\":[1]}"))
        .isInstanceOfSatisfying(InvalidNoticeException.class, e -> assertThat(e.problems()).containsExactly(
            "initiator: expected a non-blank string, got \"\"",
            "reason: expected a non-blank string, got nothing",
            "delay_seconds: expected a number of seconds from 0 to 3600, got -1",
            "timestamp: expected an ISO-8601 UTC instant like 2026-01-01T00:00:00Z, got \"yesterday\"",
            "target: every entry must be a non-blank service name, got 1"));
  }

  @Test
  void aDelayGivenAsTextIsRefused() {
    assertThatThrownBy(() -> RestartNotice.parse(
        "{\"initiator\":\"a\",\"reason\":\"b\",\"delay_seconds\":\"10\",\"timestamp\":\"2026-01-02T03:04:05Z\"}"))
        .isInstanceOfSatisfying(InvalidNoticeException.class,
            e -> assertThat(e.problems()).isEqualTo(List.of("delay_seconds: expected a number of seconds from 0 to 3600, got \"10\"")));
  }
}
