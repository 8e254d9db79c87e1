package io.quiesce.hooks;

import io.quiesce.time.RuntimeClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs the hooks of one event, one after another, as child processes.
 *
 * <p>A hook is started from its argument vector with {@link ProcessBuilder} (no shell); it learns
 * its context only from environment variables: {@code QUIESCE_EVENT}, {@code QUIESCE_SERVICE},
 * {@code QUIESCE_APP}, {@code QUIESCE_TIMESTAMP} and the event's own ({@code QUIESCE_REASON},
 * {@code QUIESCE_FAILURE_COUNT}, ...). Its standard input is empty; output goes to temporary files
 * whose tails are logged with the exit code and duration.
 *
 * <p>Each hook gets {@code timeout} (or less, when the caller's budget is shorter): then SIGTERM,
 * and after {@code killGrace} SIGKILL; the result says which. Starting processes and reading their
 * output happen on Vert.x worker threads; waiting for exit takes no thread; timeouts run on the
 * {@link RuntimeClock}. Nothing here blocks an event loop. Thread-safe.
 */
public final class HookRunner {

  private static final Logger LOG = LogManager.getLogger(HookRunner.class);
  private static final int TAIL_BYTES = 2048;

  private final Vertx vertx;
  private final RuntimeClock clock;
  private final String app;
  private volatile Settings settings; // swapped whole by reconfigure; a run reads it once
  private final List<Runnable> reconfigureListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** What a reload may change: the hooks and their time limits. */
  private record Settings(HookSet hooks, Duration timeout, Duration killGrace) {}

  public HookRunner(Vertx vertx, RuntimeClock clock, HookSet hooks, String app, Duration timeout, Duration killGrace) {
    this.vertx = vertx;
    this.clock = clock;
    this.app = app;
    this.settings = new Settings(hooks, timeout, killGrace);
  }

  /**
   * Replaces the hooks and their time limits (a configuration reload; {@code hooks} already
   * checked by {@link HookSet#load}). Runs under way finish with what they started with; every run
   * that starts afterwards uses the new ones.
   */
  public void reconfigure(HookSet hooks, Duration timeout, Duration killGrace) {
    settings = new Settings(hooks, timeout, killGrace);
    reconfigureListeners.forEach(Runnable::run);
  }

  /** Told after each {@link #reconfigure}, on its thread (to wire up events that now have hooks). */
  public void onReconfigure(Runnable listener) {
    reconfigureListeners.add(listener);
  }

  /** True if {@code event} has at least one hook now. */
  public boolean has(HookEvent event) {
    return !settings.hooks().of(event).isEmpty();
  }

  /**
   * Runs every hook of {@code event} in order and completes with their results (never fails).
   *
   * @param service the subject: a managed service's name, or null for the runtime itself
   * @param context extra variables, e.g. {@code QUIESCE_REASON}
   * @param budget the most the whole run may take; each hook's timeout and kill grace fit in what
   *     is left of it
   */
  public Future<List<HookResult>> run(HookEvent event, String service, Map<String, String> context, Duration budget) {
    Settings current = settings;
    List<HookCommand> commands = current.hooks().of(event);
    Duration timeout = current.timeout();
    Duration killGrace = current.killGrace();
    if (commands.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long due = clock.nanoTime() + budget.toNanos();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUIESCE_EVENT", event.word());
    env.put("QUIESCE_SERVICE", service == null ? app : service);
    env.put("QUIESCE_APP", app);
    env.put("QUIESCE_TIMESTAMP", Instant.now().toString());
    env.putAll(context);
    List<HookResult> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (HookCommand command : commands) {
      chain = chain.compose(v -> {
        Duration left = Duration.ofNanos(Math.max(0, due - clock.nanoTime()));
        Duration limit = min(timeout, left.minus(killGrace).isNegative() ? Duration.ZERO : left.minus(killGrace));
        return runOne(command, env, limit, killGrace).map(r -> {
          log(event, r);
          results.add(r);
          return null;
        });
      });
    }
    return chain.map(v -> List.copyOf(results));
  }

  private Future<HookResult> runOne(HookCommand command, Map<String, String> env, Duration limit, Duration killGrace) {
    long t0 = clock.nanoTime();
    return vertx.executeBlocking(() -> {
      Path out = Files.createTempFile("quiesce-hook-", ".out");
      Path err = Files.createTempFile("quiesce-hook-", ".err");
      ProcessBuilder pb = new ProcessBuilder(command.argv())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      pb.environment().putAll(env);
      try {
        return new Started(pb.start(), out, err);
      } catch (IOException e) {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        throw e;
      }
    }, false).compose(started -> awaitExit(command, started, limit, killGrace, t0),
        e -> Future.succeededFuture(new HookResult(command, -1, since(t0), false, false, String.valueOf(e.getMessage()), "", "")));
  }

  private record Started(Process process, Path out, Path err) {}

  private Future<HookResult> awaitExit(HookCommand command, Started s, Duration limit, Duration killGrace, long t0) {
    AtomicBoolean timedOut = new AtomicBoolean();
    AtomicBoolean killed = new AtomicBoolean();
    Process p = s.process();
    RuntimeClock.Cancellable term = clock.schedule(limit, () -> {
      if (p.isAlive()) {
        timedOut.set(true);
        LOG.warn("Hook {} still running after {} ms: SIGTERM", command.source(), limit.toMillis());
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        clock.schedule(killGrace, () -> {
          if (p.isAlive()) {
            killed.set(true);
            LOG.warn("Hook {} still running {} ms after SIGTERM: SIGKILL", command.source(), killGrace.toMillis());
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
          }
        });
      }
    });
    Promise<Process> exited = Promise.promise();
    p.onExit().whenComplete((proc, e) -> exited.complete(p));
    return exited.future().compose(proc -> {
      term.cancel();
      Duration took = since(t0);
      return vertx.executeBlocking(() -> {
        try {
          return new HookResult(command, proc.exitValue(), took, timedOut.get(), killed.get(), null, tail(s.out()), tail(s.err()));
        } finally {
          Files.deleteIfExists(s.out());
          Files.deleteIfExists(s.err());
        }
      }, false);
    });
  }

  private static String tail(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, TAIL_BYTES);
      byte[] bytes = new byte[n];
      f.seek(len - n);
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).strip();
    }
  }

  private static void log(HookEvent event, HookResult r) {
    String out = r.stdoutTail().isEmpty() ? "" : "\n  stdout (tail): " + r.stdoutTail().replace("\n", "\n    ");
    String err = r.stderrTail().isEmpty() ? "" : "\n  stderr (tail): " + r.stderrTail().replace("\n", "\n    ");
    if (r.succeeded()) {
      LOG.info("Hook {} {}{}{}", event.word(), r.summary(), out, err);
    } else {
      LOG.warn("Hook {} failed: {}{}{}", event.word(), r.summary(), out, err);
    }
  }

  private Duration since(long t0) {
    return Duration.ofNanos(clock.nanoTime() - t0);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
