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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sample-emulator/run}, the README's way to start the emulator, never lets its start-up
 * cache stand in the way: a training that fails is reported once, a cache the JVM cannot use is
 * skipped and reported once on the next start, and the program starts every time. Runs the real
 * script with the JDK running the tests (AppCDS on 17 to 24, an AOT cache on 25+) on a small jar
 * whose main says it started, so no emulator is needed (training it fails: it never reports ready).
 */
class StartCacheFallbackTest {

  private static final Path SCRIPT = Path.of("run").toAbsolutePath();
  private static final Pattern REFUSED = Pattern.compile("the JVM could not use the start-up cache");
  private static final Pattern TRAINING_FAILED = Pattern.compile("no start-up cache \\(training failed");

  @Test
  void aFailedTrainingAndADamagedCacheAreEachReportedOnceAndTheProgramAlwaysStarts(@TempDir Path dir) throws Exception {
    Path jar = probeJar(dir.resolve("probe.jar"));
    // Built a minute ago: what the script makes after it is then newer, whatever the clock's resolution.
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    Path cacheDir = dir.resolve("start-cache");

    Run first = run(jar, cacheDir);
    assertThat(first.exit()).as(first.output()).isZero();
    assertThat(first.output()).as("training fails (the probe never gets ready): said, and the program starts")
        .containsPattern(TRAINING_FAILED).contains("probe started");
    Run second = run(jar, cacheDir);
    assertThat(second.exit()).as(second.output()).isZero();
    assertThat(second.output()).as("said once: no second training, no message")
        .isEqualTo("probe started\n");

    // A cache the script takes for current (newer than the jar, made with these options) that no JVM can map.
    Path failed = only(cacheDir, ".failed");
    Path cache = failed.resolveSibling(failed.getFileName().toString().replace(".failed", ""));
    Files.write(cache, new byte[64 * 1024]);
    Files.move(failed.resolveSibling(failed.getFileName() + ".options"), cache.resolveSibling(cache.getFileName() + ".options"));
    Files.delete(failed);

    Run third = run(jar, cacheDir);
    assertThat(third.exit()).as(third.output()).isZero();
    assertThat(third.output()).as("the JVM skips the damaged cache without a word in the program's output")
        .isEqualTo("probe started\n");
    Run fourth = run(jar, cacheDir);
    assertThat(fourth.exit()).as(fourth.output()).isZero();
    assertThat(fourth.output()).as("the next start says the cache was refused and tries to make it again (and fails, and says so)")
        .containsPattern(REFUSED).containsPattern(TRAINING_FAILED).contains("probe started");
    assertThat(REFUSED.matcher(fourth.output()).results().count()).isEqualTo(1);
    Run fifth = run(jar, cacheDir);
    assertThat(fifth.exit()).as(fifth.output()).isZero();
    assertThat(fifth.output()).as("said once").isEqualTo("probe started\n");
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

  private static Path only(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
      assertThat(found).as("files ending in %s in %s", suffix, dir).hasSize(1);
      return found.get(0);
    }
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
}
