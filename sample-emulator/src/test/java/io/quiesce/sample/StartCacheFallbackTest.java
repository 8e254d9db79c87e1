package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample-emulator/run}, the README's way to start the emulator, never lets its start-up
 * cache stand in the way: a cache the JVM cannot use is skipped and reported once on the next start,
 * a training that fails is reported once, and the program starts every time. Runs the real script
 * with the JDK running the tests (AppCDS on 17 to 24, an AOT cache on 25+) on a small jar whose
 * main says it started, so no emulator is needed (training it fails: it never reports ready).
 */
class StartCacheFallbackTest {

  private static final Path SCRIPT = Path.of("run").toAbsolutePath();
  private static final Pattern REFUSED = Pattern.compile("the JVM could not use the start-up cache");
  private static final Pattern TRAINING_FAILED = Pattern.compile("no start-up cache \\(training failed");

  @Test
  void aDamagedCacheIsSkippedThenReportedOnceAndTrainingThatFailsIsReportedOnce(@TempDir Path dir) throws Exception {
    Path jar = probeJar(dir.resolve("probe.jar"));
    Path cacheDir = dir.resolve("start-cache");
    String kind = Runtime.version().feature() >= 25 ? "aot" : "jsa";
    Path cache = cacheDir.resolve("jdk" + System.getProperty("java.version") + "-" + vendor() + "-"
        + jarId(jar) + "." + kind);
    Files.createDirectories(cacheDir);
    Files.write(cache, new byte[64 * 1024]); // zeros: no JVM maps that
    Files.writeString(cache.resolveSibling(cache.getFileName() + ".options"),
        "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError\n");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));

    Run first = run(jar, cacheDir);
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output()).as("the damaged cache is used without a word, and the program starts")
        .contains("probe started").doesNotContainPattern(REFUSED).doesNotContainPattern(TRAINING_FAILED)
        .doesNotContain("[error").doesNotContain("[warning");

    Run second = run(jar, cacheDir);
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output()).as("the next start says the cache was refused, tries to make it again, fails, says so, starts")
        .containsPattern(REFUSED).containsPattern(TRAINING_FAILED).contains("probe started");
    assertThat(REFUSED.matcher(second.output()).results().count()).isEqualTo(1);

    Run third = run(jar, cacheDir);
    assertThat(third.exit()).as(third.output()).isZero();
    assertThat(third.output()).as("said once: nothing more about the cache, no second training")
        .contains("probe started").doesNotContainPattern(REFUSED).doesNotContainPattern(TRAINING_FAILED)
        .doesNotContain("making a start-up cache");
  }

  private record Run(int exit, String output) {}

  private static Run run(Path jar, Path cacheDir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(SCRIPT.toString())).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("SAMPLE_JAR", jar.toString());
    pb.environment().put("SAMPLE_START_CACHE", cacheDir.toString());
    pb.environment().remove("JAVA_OPTS");
    Process process = pb.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes(); // until the script and its JVM are done
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("sample-emulator/run did not finish within 120 s: " + new String(output, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** A jar with {@link StartCacheProbe} as its main class. */
  private static Path probeJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StartCacheProbe.class.getName());
    String entry = StartCacheProbe.class.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
        var bytes = StartCacheProbe.class.getClassLoader().getResourceAsStream(entry)) {
      jarOut.putNextEntry(new JarEntry(entry));
      bytes.transferTo(jarOut);
      jarOut.closeEntry();
    }
    return jar;
  }

  /** The script's name for a jar: its absolute path with every other character than letters and digits made '_', the last 80 kept. */
  private static String jarId(Path jar) {
    String id = jar.toAbsolutePath().toString().replaceAll("[^A-Za-z0-9]", "_");
    return id.length() > 80 ? id.substring(id.length() - 80) : id;
  }

  /** The JDK's IMPLEMENTOR from its release file, as the script reads it. */
  private static String vendor() throws IOException {
    for (String line : Files.readAllLines(Path.of(System.getProperty("java.home"), "release"))) {
      if (line.startsWith("IMPLEMENTOR=")) {
        return line.substring("IMPLEMENTOR=".length()).replace("\"", "").replaceAll("[^A-Za-z0-9]", "_");
      }
    }
    return "";
  }
}
