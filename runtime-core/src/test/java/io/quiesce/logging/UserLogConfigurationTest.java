package io.quiesce.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A log4j configuration file the user gave is kept however log4j was told of it: {@code
 * log.format=json} then leaves it alone and says so, in each of log4j's ways (a system property,
 * the environment, a file on the class path). In a JVM of its own, since log4j is set up once per
 * process.
 */
class UserLogConfigurationTest {

  private static final String CONFIGURATION = """
      <Configuration status="warn">
        <Appenders><Console name="out" target="SYSTEM_OUT"><PatternLayout pattern="USER %m%n"/></Console></Appenders>
        <Loggers><Root level="info"><AppenderRef ref="out"/></Root></Loggers>
      </Configuration>
      """;

  @ParameterizedTest
  @ValueSource(strings = {"system property", "environment", "class path"})
  void logFormatJsonLeavesTheUsersConfigurationAlone(String how, @TempDir Path dir) throws Exception {
    // On the class path, a test file: it comes first in log4j's search (ahead of this module's own
    // log4j2-test.xml, since the directory comes first on the class path).
    Path file = dir.resolve(how.equals("class path") ? "log4j2-test.xml" : "user-log4j2.xml");
    Files.writeString(file, CONFIGURATION);
    String classPath = System.getProperty("java.class.path");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (how.equals("system property")) {
      command.add("-Dlog4j2.configurationFile=" + file);
    }
    command.addAll(List.of("-cp", how.equals("class path") ? dir + File.pathSeparator + classPath : classPath, Probe.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("LOG4J_CONFIGURATION_FILE");
    if (how.equals("environment")) {
      builder.environment().put("LOG4J_CONFIGURATION_FILE", file.toString());
    }

    Process child = builder.start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
    List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

    assertThat(lines).as("written by the user's configuration, not as JSON").contains("USER after log.format=json")
        .noneMatch(line -> line.startsWith("{"));
    assertThat(lines).anyMatch(line -> line.startsWith("USER log.format=json ignored: log4j is configured by ")
        && line.endsWith(file.getFileName().toString()));
    assertThat(child.exitValue()).isZero();
  }

  /** Applies {@code log.format=json}, then logs one line. */
  public static final class Probe {

    public static void main(String[] args) {
      LogSettings.apply("json", "info");
      LogManager.getLogger("probe").info("after log.format=json");
      LogManager.shutdown();
    }
  }
}
