package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;

/**
 * The text format written without log4j-core (the runtime's log4j provider): its lines, its levels
 * as log4j-core's text configuration had them, and the hand-over to log4j-core for
 * {@code log.format=json}, which the loggers made before it follow.
 */
class TextLoggerContextTest {

  private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @Test
  void linesAreTheTextFormatOnStandardOutputAtTheRootLevel() {
    TextLoggerContext context = new TextLoggerContext();
    List<String> lines = stdout(() -> {
      Logger log = context.getLogger("io.quiesce.example.Lifecycle");
      log.info("Lifecycle {} -> {}", "STARTING", "RUNNING");
      log.debug("not at INFO");
      log.warn("Something failed", new IllegalStateException("boom"));
      context.setRootLevel(Level.DEBUG);
      log.debug("at DEBUG once log.level=debug");
    });

    String thread = "\\[" + Thread.currentThread().getName() + "\\]";
    assertThat(lines.get(0)).matches(STAMP + " INFO  " + thread + " Lifecycle - Lifecycle STARTING -> RUNNING");
    assertThat(lines.get(1)).matches(STAMP + " WARN  " + thread + " Lifecycle - Something failed");
    assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines.get(3)).startsWith("\tat io.quiesce.logging.TextLoggerContextTest.");
    assertThat(lines.get(lines.size() - 1)).matches(STAMP + " DEBUG " + thread + " Lifecycle - at DEBUG once log.level=debug");
    assertThat(lines).filteredOn(l -> !l.startsWith("\t")).hasSize(4);
  }

  @Test
  void nettyAndHazelcastStayAtWarnAndVertxAtInfoWhateverTheRootLevel() {
    TextLoggerContext context = new TextLoggerContext();
    List<String> lines = stdout(() -> {
      context.setRootLevel(Level.DEBUG);
      context.getLogger("io.netty.channel.Example").info("Netty below WARN is not shown");
      context.getLogger("com.hazelcast.Banner").info("Hazelcast below WARN is not shown");
      context.getLogger("io.vertx.core.Example").debug("Vert.x below INFO is not shown");
      context.getLogger("io.nettyish.Example").debug("a name that only starts alike follows the root");
      context.setRootLevel(Level.ERROR);
      context.getLogger("io.vertx.core.Example").info("Vert.x at INFO is, even with the root at ERROR");
      context.getLogger("io.netty.channel.Example").warn("Netty at WARN is");
    });

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).endsWith(" Example - a name that only starts alike follows the root");
    assertThat(lines.get(1)).endsWith(" Example - Vert.x at INFO is, even with the root at ERROR");
    assertThat(lines.get(2)).contains(" WARN ").endsWith(" Example - Netty at WARN is");
  }

  @Test
  void afterTheHandOverLoggersMadeBeforeItGoThroughLog4jCoreAtTheSameRootLevel() throws Exception {
    TextLoggerContext context = new TextLoggerContext();
    Logger madeBefore = context.getLogger("io.quiesce.example.Lifecycle");
    context.setRootLevel(Level.DEBUG);
    URI json = json();
    List<String> lines = stdout(() -> context.handOver(json));
    try {
      assertThat(lines).as("nothing written by the text format meanwhile").isEmpty();
      assertThat(context.core().getConfiguration().getAppenders().values())
          .singleElement().satisfies(a -> assertThat(a.getLayout()).isInstanceOf(JsonTemplateLayout.class));
      assertThat(madeBefore.isDebugEnabled()).as("log.level=debug carried over").isTrue();
      assertThat(context.getLogger("io.netty.channel.Example").isInfoEnabled()).isFalse();
      List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
      AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
          written.add(event.getLoggerName() + ": " + event.getMessage().getFormattedMessage());
        }
      };
      capture.start();
      context.core().getConfiguration().getRootLogger().addAppender(capture, null, null);
      context.core().updateLoggers();
      madeBefore.debug("through log4j-core");
      assertThat(written).containsExactly("io.quiesce.example.Lifecycle: through log4j-core");
    } finally {
      context.shutdown(getClass().getName(), null, false, true);
    }
  }

  @Test
  void withAConfigurationFileLog4jCoreRunsItAndNothingReplacesIt() {
    TextLoggerContextFactory factory = new TextLoggerContextFactory(); // this module's tests have a log4j2-test.xml
    String fqcn = getClass().getName();
    LoggerContext core = (LoggerContext) factory.getContext(fqcn, null, null, false);
    try {
      assertThat(core.getConfiguration().getName()).as("log4j-core, with the file's configuration").isNotEqualTo("quiesce-text");
      assertThatThrownBy(() -> factory.reconfigure(json())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("log4j2-test.xml");
      assertThat(core.getConfiguration().getName()).as("still the file's configuration").isNotEqualTo("quiesce-text");
      assertThat(core.getConfiguration().getAppenders().values())
          .noneSatisfy(a -> assertThat(a.getLayout()).isInstanceOf(JsonTemplateLayout.class));
    } finally {
      factory.shutdown(fqcn, null, false, true);
    }
  }

  private URI json() throws java.net.URISyntaxException {
    return getClass().getClassLoader().getResource(LogSettings.JSON_CONFIGURATION).toURI();
  }

  /** What {@code body} writes to standard output, line by line. */
  private static List<String> stdout(Runnable body) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
