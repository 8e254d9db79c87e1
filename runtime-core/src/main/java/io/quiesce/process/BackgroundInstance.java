package io.quiesce.process;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulator instance running in the background, known by its {@link StateFiles}: how
 * {@code start} launches one and waits until it is ready, and how {@code stop} ends one.
 *
 * <p>Signals go through {@link ProcessHandle} ({@code destroy()} is SIGTERM, {@code
 * destroyForcibly()} SIGKILL on Unix); nothing is passed through a shell.
 */
public final class BackgroundInstance {

  /** The runtime's one "Ready." line, as text or inside a JSON log line. */
  private static final Pattern READY = Pattern.compile("Ready\\. .*? listening on (https?://[^ \"]+?:\\d+)");
  private static final int LOG_LINES_ON_FAILURE = 60;
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final StateFiles files;
  private final PidFile pidFile;
  private final PrintStream out;
  private final PrintStream err;

  public BackgroundInstance(String name, StateFiles files, PrintStream out, PrintStream err) {
    this.name = name;
    this.files = files;
    this.pidFile = new PidFile(files.pidFile());
    this.out = out;
    this.err = err;
  }

  /**
   * Launches {@code command} (a java command line that runs the emulator in the foreground) with
   * its output appended to the log file, and waits until its {@code /_quiesce/health/ready} answers 200.
   *
   * @return 0 once ready; 1 if an instance is already running, the PID file cannot be claimed,
   *     or the new instance exits or is not ready within {@code timeout} (then it is stopped and
   *     the log's last lines are shown)
   */
  public int start(List<String> command, Duration timeout) throws IOException, InterruptedException {
    PidFile.Entry entry = pidFile.read(files.instance());
    if (entry instanceof PidFile.Entry.Live live) {
      err.printf("%s is already running (PID %d, PID file %s); not starting a second instance%n",
          name, live.process().pid(), pidFile.path());
      return 1;
    }
    if (entry instanceof PidFile.Entry.Unreadable unreadable) {
      err.printf("Not starting: %s. Remove it if no instance is starting.%n", unreadable.problem());
      return 1;
    }
    if (entry instanceof PidFile.Entry.Stale stale) {
      out.printf("Found a stale PID file %s (PID %d is not running); replacing it%n", pidFile.path(), stale.pid());
      pidFile.delete();
    }
    if (entry instanceof PidFile.Entry.NotTheInstance other) {
      out.printf("Found a stale PID file %s (PID %d is another process now: %s); replacing it%n",
          pidFile.path(), other.pid(), other.why());
      pidFile.delete();
    }
    try {
      pidFile.claim();
    } catch (FileAlreadyExistsException e) {
      err.printf("Not starting: %s appeared meanwhile; another start is in progress%n", pidFile.path());
      return 1;
    }
    Files.createDirectories(files.logFile().getParent());
    long logStart = Files.exists(files.logFile()) ? Files.size(files.logFile()) : 0;
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(files.logFile().toFile()));
      process = pb.start();
    } catch (IOException e) {
      pidFile.delete();
      throw e;
    }
    InstanceRecord launched = InstanceRecord.launched(process.toHandle(), Instant.now());
    try {
      process.getOutputStream().close(); // no input: a daemon must not wait on a terminal
      // Who the process is, before its PID: a PID in the file always has a record to check it by.
      launched.write(files.instance());
      pidFile.write(process.pid());
    } catch (IOException e) {
      process.destroyForcibly();
      pidFile.delete();
      throw e;
    }
    return awaitReady(process, launched, logStart, timeout);
  }

  private int awaitReady(Process process, InstanceRecord launched, long logStart, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
    String url = null;
    while (System.nanoTime() < deadline) {
      if (url == null) {
        url = readyUrl(logStart).orElse(null);
      }
      if (url != null && answersReady(http, url)) {
        launched.ready(url).write(files.instance());
        out.printf("Started %s (PID %d), ready at %s; log: %s%n", name, process.pid(), url, files.logFile());
        return 0;
      }
      // Waits for the process to exit, at most 100 ms: the poll interval, and exit noticed at once.
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        pidFile.deleteIfNames(process.pid());
        err.printf("%s exited with code %d before it was ready. What it logged (%s):%n", name, process.exitValue(), files.logFile());
        printLogSince(logStart);
        return 1;
      }
    }
    err.printf("%s (PID %d) was not ready within %d s; stopping it. What it logged (%s):%n",
        name, process.pid(), timeout.toSeconds(), files.logFile());
    printLogSince(logStart);
    stop(process.toHandle(), Duration.ofSeconds(10));
    return 1;
  }

  private Optional<String> readyUrl(long logStart) throws IOException {
    if (!Files.exists(files.logFile()) || Files.size(files.logFile()) <= logStart) {
      return Optional.empty();
    }
    try (var channel = Files.newByteChannel(files.logFile())) {
      channel.position(logStart);
      String text = new String(java.nio.channels.Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      Matcher m = READY.matcher(text);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
  }

  private static boolean answersReady(HttpClient http, String url) throws InterruptedException {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/_quiesce/health/ready")).timeout(Duration.ofSeconds(2)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last lines this launch wrote (not an earlier run's), at most {@link #LOG_LINES_ON_FAILURE}. */
  private void printLogSince(long logStart) {
    try {
      List<String> lines = LogTail.lastLines(files.logFile(), LOG_LINES_ON_FAILURE);
      long ours = Files.size(files.logFile()) - logStart;
      List<String> since = new java.util.ArrayList<>();
      long bytes = 0;
      for (int i = lines.size() - 1; i >= 0 && bytes < ours; i--) {
        since.add(0, lines.get(i));
        bytes += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
      }
      since.forEach(line -> err.println("  " + line));
    } catch (IOException e) {
      err.println("  (cannot read the log: " + e + ")");
    }
  }

  /**
   * Sends SIGTERM to the instance named by the PID file, waits up to {@code timeout} for it to
   * exit (a graceful shutdown), then SIGKILL. Removes the PID file when the process is gone. A
   * live PID that is not the instance launched (see {@link InstanceRecord#mismatch}) is never
   * signalled: the file is stale, and removed.
   */
  public StopOutcome stop(Duration timeout) throws IOException, InterruptedException {
    PidFile.Entry entry = pidFile.read(files.instance());
    if (entry instanceof PidFile.Entry.Absent) {
      out.printf("%s is not running (no PID file at %s)%n", name, pidFile.path());
      return StopOutcome.NOT_RUNNING;
    }
    if (entry instanceof PidFile.Entry.Stale stale) {
      pidFile.delete();
      out.printf("%s is not running: removed the stale PID file %s (PID %d had already exited)%n",
          name, pidFile.path(), stale.pid());
      return StopOutcome.STALE_PID_FILE;
    }
    if (entry instanceof PidFile.Entry.NotTheInstance other) {
      pidFile.delete();
      out.printf("%s is not running: removed the stale PID file %s (PID %d is another process now, not signalled: %s)%n",
          name, pidFile.path(), other.pid(), other.why());
      return StopOutcome.STALE_PID_FILE;
    }
    if (entry instanceof PidFile.Entry.Unreadable unreadable) {
      err.printf("Cannot stop: %s%n", unreadable.problem());
      return StopOutcome.FAILED;
    }
    return stop(((PidFile.Entry.Live) entry).process(), timeout);
  }

  private StopOutcome stop(ProcessHandle process, Duration timeout) throws IOException, InterruptedException {
    long pid = process.pid();
    long t0 = System.nanoTime();
    if (!process.destroy() && process.isAlive()) {
      err.printf("Cannot send SIGTERM to %s (PID %d): not permitted%n", name, pid);
      return StopOutcome.FAILED;
    }
    out.printf("Sent SIGTERM to %s (PID %d); waiting up to %d s for it to drain and exit%n", name, pid, timeout.toSeconds());
    StopOutcome outcome;
    if (exits(process, timeout)) {
      out.printf("Stopped %s (PID %d) in %d ms%n", name, pid, (System.nanoTime() - t0) / 1_000_000);
      outcome = StopOutcome.STOPPED;
    } else {
      process.destroyForcibly();
      if (!exits(process, KILL_WAIT)) {
        err.printf("%s (PID %d) is still alive after SIGKILL%n", name, pid);
        return StopOutcome.FAILED;
      }
      err.printf("%s (PID %d) did not exit within %d s of SIGTERM; killed it with SIGKILL%n", name, pid, timeout.toSeconds());
      outcome = StopOutcome.KILLED;
    }
    // The instance record stays: beside the last shutdown report it tells status whether the last
    // instance shut down (its report is there) or was killed (it is not).
    pidFile.deleteIfNames(pid);
    return outcome;
  }

  // onExit() of a process that is not our child is checked about once a second; a 50 ms wait
  // on it, repeated, notices the exit sooner.
  private static boolean exits(ProcessHandle process, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (process.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        process.onExit().get(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // look again
      } catch (ExecutionException e) {
        // onExit does not fail; isAlive decides
      }
    }
    return true;
  }
}
