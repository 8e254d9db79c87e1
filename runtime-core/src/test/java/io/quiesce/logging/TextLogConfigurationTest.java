package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The runtime's default log format, made in code: the lines it writes, and that any configuration
 * file log4j is given (on the class path, or by location) takes its place.
 */
class TextLogConfigurationTest {

  private static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @Test
  void withoutAConfigurationFileEveryLineIsInTheTextFormatAtInfoWithNettyAtWarn() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    Thread thread = Thread.currentThread();
    ClassLoader loader = thread.getContextClassLoader();
    thread.setContextClassLoader(new WithoutLog4jFiles(loader)); // this module's tests have a log4j2-test.xml
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // the console appender takes System.out as it is made
    LoggerContext context = new LoggerContext("text-format");
    try {
      Configuration text = new TextLogConfiguration().getConfiguration(context, context.getName(), null);
      assertThat(text).as("no file on the class path: the text format").isNotNull();
      context.start(text);
      Logger log = context.getLogger("io.quiesce.example.Lifecycle");
      log.info("Lifecycle {} -> {}", "STARTING", "RUNNING");
      log.debug("not at INFO");
      log.warn("Something failed", new IllegalStateException("boom"));
      context.getLogger("io.netty.channel.Example").info("Netty below WARN is not shown");
      context.getLogger("io.netty.channel.Example").warn("Netty at WARN is");
    } finally {
      context.stop();
      System.setOut(stdout);
      thread.setContextClassLoader(loader);
    }

    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    String thread0 = "\\[" + thread.getName() + "\\]";
    assertThat(lines.get(0)).matches(STAMP + " INFO  " + thread0 + " Lifecycle - Lifecycle STARTING -> RUNNING");
    assertThat(lines.get(1)).matches(STAMP + " WARN  " + thread0 + " Lifecycle - Something failed");
    assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines.get(3)).startsWith("\tat io.quiesce.logging.TextLogConfigurationTest.");
    assertThat(lines).filteredOn(l -> !l.startsWith("\t")).hasSize(4);
    assertThat(lines.get(lines.size() - 1)).matches(STAMP + " WARN  " + thread0 + " Example - Netty at WARN is");
  }

  @Test
  void aConfigurationFileOnTheClassPathOrGivenByLocationTakesItsPlace() {
    LoggerContext context = new LoggerContext("with-a-file");
    TextLogConfiguration factory = new TextLogConfiguration();

    assertThat(factory.getConfiguration(context, context.getName(), null))
        .as("log4j2-test.xml on this module's test class path").isNull();
    Thread thread = Thread.currentThread();
    ClassLoader loader = thread.getContextClassLoader();
    thread.setContextClassLoader(new WithoutLog4jFiles(loader));
    try {
      assertThat(factory.getConfiguration(context, context.getName(), URI.create("classpath:quiesce-log4j2-json.xml")))
          .as("a location (log.format=json, -Dlog4j2.configurationFile)").isNull();
    } finally {
      thread.setContextClassLoader(loader);
    }
  }

  /** A class loader that finds no log4j configuration file. */
  private static final class WithoutLog4jFiles extends ClassLoader {
    WithoutLog4jFiles(ClassLoader parent) {
      super(parent);
    }

    @Override
    public URL getResource(String name) {
      return name.startsWith("log4j2") ? null : super.getResource(name);
    }
  }
}
