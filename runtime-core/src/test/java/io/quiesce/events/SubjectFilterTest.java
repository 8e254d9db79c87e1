package io.quiesce.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectFilterTest {

  @ParameterizedTest
  @CsvSource({
      "quiesce.lifecycle.>, quiesce.lifecycle.s3.startup, true",
      "quiesce.lifecycle.>, quiesce.lifecycle.group.restart, true",
      "quiesce.lifecycle.>, quiesce.lifecycle, false",
      "quiesce.lifecycle.>, quiesce.service.discovery, false",
      "quiesce.lifecycle.*.startup, quiesce.lifecycle.s3.startup, true",
      "quiesce.lifecycle.*.startup, quiesce.lifecycle.s3.shutdown, false",
      "quiesce.lifecycle.*.startup, quiesce.lifecycle.a.b.startup, false",
      "quiesce.service.discovery, quiesce.service.discovery, true",
      "quiesce.service.discovery, quiesce.service.discovery.poll, false",
      "*.service.*, quiesce.service.discovery, true",
      ">, anything.at.all, true",
  })
  void matchesLikeNats(String filter, String subject, boolean matches) {
    assertThat(SubjectFilter.of(filter).matches(subject)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a..b", "a.", ".a", "a.>.b", "a.b*", "a.>x", "a b"})
  void malformedFiltersAreRefusedWithTheReason(String filter) {
    assertThatThrownBy(() -> SubjectFilter.of(filter)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject filter");
  }

  @Test
  void serviceNamesBecomeOneSubjectToken() {
    Subjects subjects = new Subjects("fleet.dev");
    assertThat(subjects.lifecycle("my.svc 1", "startup")).isEqualTo("fleet.dev.lifecycle.my_svc_1.startup");
    assertThat(subjects.groupRestart()).isEqualTo("fleet.dev.lifecycle.group.restart");
    assertThat(subjects.discoveryPoll()).isEqualTo("fleet.dev.service.discovery.poll");
    assertThatThrownBy(() -> new Subjects("bad prefix")).isInstanceOf(IllegalArgumentException.class);
  }
}
