package io.quiesce.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The README's command, {@code sample-emulator/run}, as a user runs it: the benchmark's JDK as
 * {@code JAVA_HOME}, no {@code JAVA_OPTS}, its start-up cache in a directory of the benchmark's
 * own, made by the first start as a user's first start makes it.
 */
final class ReadmeCommand {

  private final Path script = Path.of("sample-emulator", "run").toAbsolutePath();
  private final Map<String, String> env;

  private ReadmeCommand(Path sampleJar, Path caches) {
    this.env = Map.of("JAVA_HOME", System.getProperty("java.home"), "SAMPLE_JAR", sampleJar.toAbsolutePath().toString(),
        "SAMPLE_START_CACHE", caches.toAbsolutePath().toString(), "JAVA_OPTS", "");
  }

  /** A command whose cache lives in {@code caches}, which is emptied now. */
  static ReadmeCommand withFreshCache(Path sampleJar, Path caches) throws IOException {
    deleteTree(caches);
    return withCache(sampleJar, caches);
  }

  /**
   * A command whose cache lives in {@code caches}, as an earlier section of the same run left it:
   * the script itself makes it again if it is missing or older than the jar ({@code bench/run-all}
   * copies the jar afresh for every run).
   */
  static ReadmeCommand withCache(Path sampleJar, Path caches) throws IOException {
    Files.createDirectories(caches);
    return new ReadmeCommand(sampleJar, caches);
  }

  /** Starts {@code sample-emulator/run <args>}; the process is the JVM itself (the script execs it). */
  ChildJvm start(List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(args);
    return ChildJvm.startCommand(cmd, env, log);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
