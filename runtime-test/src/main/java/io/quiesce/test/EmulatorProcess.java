package io.quiesce.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulator as a real child JVM, for the behaviour that lives at process level: signals, exit
 * codes, the log as a user sees it, drain over real sockets ({@link io.quiesce.test.probe.DrainProbe}).
 * Its output (stdout and stderr, merged) is captured line by line in memory; its port comes from
 * the {@code Ready.} line, so it starts on a free port. {@link #close()} kills it if it is still
 * running (a test that wants a graceful stop signals it and waits for {@link #exitCode()}).
 */
public final class EmulatorProcess implements RunningEmulator {

  private static final Pattern READY = Pattern.compile("Ready\\. .* listening on (https?)://[^:]+:(\\d+)");
  private static final Duration READY_LIMIT = Duration.ofSeconds(60);
  private static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

  private final Process process;
  private final DataDirectory dataDir;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<URI> ready = new CompletableFuture<>();
  private final Thread reader;

  private EmulatorProcess(Process process, DataDirectory dataDir) {
    this.process = process;
    this.dataDir = dataDir;
    this.reader = new Thread(this::pump, "emulator-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static EmulatorProcess start(List<String> command, Map<String, String> env, DataDirectory dataDir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("QUIESCE_"));
    pb.environment().putAll(env);
    return new EmulatorProcess(pb.start(), dataDir);
  }

  /** {@link #awaitReady(Duration)} within 60 s. */
  public int awaitReady() throws Exception {
    return awaitReady(READY_LIMIT);
  }

  /**
   * Waits for the {@code Ready.} line and returns the port it names.
   *
   * @throws AssertionError with the output so far if it exits first or is not ready in time
   */
  public int awaitReady(Duration limit) throws Exception {
    return readyUri(limit).getPort();
  }

  private URI readyUri(Duration limit) throws Exception {
    try {
      return ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("emulator not ready within " + limit + "; output:\n" + output(), e);
    } catch (ExecutionException e) {
      awaitExit(EXIT_LIMIT); // the whole output, up to its last line
      throw new AssertionError("emulator exited with code " + process.exitValue() + " before it was ready; output:\n" + output(), e);
    }
  }

  /** The port of its {@code Ready.} line (waits for it, up to 60 s). */
  @Override
  public int port() {
    return baseUri().getPort();
  }

  /** The URL of its {@code Ready.} line (waits for it, up to 60 s). */
  @Override
  public URI baseUri() {
    try {
      return readyUri(READY_LIMIT);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Path dataDir() {
    return dataDir.path();
  }

  /** The child's process id, e.g. to look for its PID file or to signal it by other means. */
  public long pid() {
    return process.pid();
  }

  /** Sends a POSIX signal with {@code kill(1)}; no shell involved. */
  public void signal(Signal signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal.name() + " " + process.pid() + " failed");
    }
  }

  /** {@link #awaitExit(Duration)} within 60 s. */
  public int exitCode() throws InterruptedException {
    return awaitExit(EXIT_LIMIT);
  }

  /**
   * Waits for the process to end, and for its last output line to be captured.
   *
   * @return its exit code
   * @throws AssertionError with the output if it is still running after {@code limit}
   */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("emulator still running after " + limit + "; output:\n" + output());
    }
    reader.join(limit.toMillis());
    return process.exitValue();
  }

  /** Whether the process still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Every output line so far, in order. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** True once some output line contains {@code text}: for {@code await().until(() -> p.printed("..."))}. */
  public boolean printed(String text) {
    return lines.stream().anyMatch(l -> l.contains(text));
  }

  /**
   * The time the first line containing {@code text} was logged, by the emulator's own clock (the
   * line's leading timestamp): for timing the runtime's part of a sequence apart from the time the
   * signal and this JVM's scheduling add.
   *
   * @throws AssertionError with the output if no line contains {@code text}
   */
  public Instant loggedAt(String text) {
    String line = lines.stream().filter(l -> l.contains(text)).findFirst()
        .orElseThrow(() -> new AssertionError("no line contains \"" + text + "\"; output:\n" + output()));
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  /** The output so far, one string. */
  public String output() {
    return String.join("\n", lines);
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        Matcher m = READY.matcher(line);
        if (!ready.isDone() && m.find()) {
          ready.complete(URI.create(m.group(1) + "://127.0.0.1:" + m.group(2)));
        }
      }
    } catch (IOException e) {
      // the process went away; what was read is kept
    } finally {
      ready.completeExceptionally(new IllegalStateException("emulator exited before it was ready"));
    }
  }

  /** Kills it if it still runs ({@code SIGKILL}), then deletes the data directory if the kit made it. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    dataDir.close();
  }
}
