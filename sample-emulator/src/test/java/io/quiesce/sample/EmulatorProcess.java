package io.quiesce.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample emulator as a real child JVM, for the behaviour that lives at process level:
 * signals, exit codes, drain over real sockets. Output (stdout and stderr merged) is kept in
 * memory; the port comes from the "Ready." line, so tests can use port 0.
 */
final class EmulatorProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("Ready\\. .* listening on https?://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> readyPort = new CompletableFuture<>();
  private final Thread reader;

  private EmulatorProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::pump, "emulator-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code SampleEmulator} with {@code args} on this test's classpath. */
  static EmulatorProcess start(String... args) throws IOException {
    return start(Map.of(), List.of(), args);
  }

  /**
   * Starts it with extra environment variables, behind {@code launcher} (e.g. a wrapper that
   * resets an inherited signal disposition; it receives the java command line as its arguments).
   * {@code QUIESCE_*} variables of the test's own environment are not passed on.
   */
  static EmulatorProcess start(Map<String, String> env, List<String> launcher, String... args) throws IOException {
    return start(env, launcher, SampleEmulator.class, args);
  }

  /**
   * Starts another main class on this test's classpath the same way (a control server for
   * comparison); it must print the same {@code Ready. … listening on http://host:port} line.
   */
  static EmulatorProcess start(Class<?> main, String... args) throws IOException {
    return start(Map.of(), List.of(), main, args);
  }

  private static EmulatorProcess start(Map<String, String> env, List<String> launcher, Class<?> main, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:+ExitOnOutOfMemoryError"); // as the README runs it
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("QUIESCE_"));
    pb.environment().putAll(env);
    return new EmulatorProcess(pb.start());
  }

  /** Waits for the "Ready." line and returns the bound port. */
  int awaitReady(Duration limit) throws Exception {
    try {
      return readyPort.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("emulator not ready within " + limit + "; output:\n" + output(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Sends a POSIX signal ("TERM", "INT", "KILL") with kill(1); no shell involved. */
  void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + name + " failed");
    }
  }

  /** Waits for the process to end and returns its exit code. */
  int awaitExit(Duration limit) throws Exception {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("emulator still running after " + limit + "; output:\n" + output());
    }
    reader.join(limit.toMillis());
    return process.exitValue();
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  /** True once some output line contains {@code text}. */
  boolean printed(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  String output() {
    return String.join("\n", lines);
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        Matcher m = READY.matcher(line);
        if (m.find()) {
          readyPort.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process went away; what was read is kept
    } finally {
      readyPort.completeExceptionally(new IllegalStateException("emulator exited before it was ready"));
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
