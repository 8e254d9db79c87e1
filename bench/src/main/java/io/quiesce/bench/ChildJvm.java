package io.quiesce.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server under test as a real child JVM: started with an argv list (no shell), output to a log
 * file, stopped with a real SIGTERM ({@link Process#destroy()} on Linux), and its exit instant
 * taken from the process reaper.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final long startNanos;
  private final Path log;
  /** Completed by the process reaper at exit, with the instant: precise even if nobody waits then. */
  private final CompletableFuture<Long> exitNanos;

  private ChildJvm(Process process, long startNanos, Path log) {
    this.process = process;
    this.startNanos = startNanos;
    this.log = log;
    this.exitNanos = process.onExit().thenApply(p -> System.nanoTime());
  }

  /**
   * What the README's run script passes on JDK 24 and 25, {@code --sun-misc-unsafe-memory-access=allow}
   * (empty on any other JDK {@code jdk}): Netty then uses {@code sun.misc.Unsafe} as on JDK 17,
   * where on 25 it would reach direct buffers through {@code ByteBuffer} and {@code VarHandle}
   * calls. For every child that is the README command or is compared with it (children run this
   * JDK).
   */
  static List<String> unsafeMemoryAccess(int jdk) {
    return jdk == 24 || jdk == 25 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
  }

  /**
   * Starts {@code java <jvmFlags> <launch...>}; {@code launch} is e.g. {@code -jar x.jar --set ...}
   * or {@code -cp x.jar Main 8080}.
   */
  static ChildJvm start(List<String> jvmFlags, List<String> launch, Path log) throws IOException {
    return start(List.of(), jvmFlags, launch, log);
  }

  /** The same behind a command prefix such as {@code taskset -c 0} (empty for none). */
  static ChildJvm start(List<String> prefix, List<String> jvmFlags, List<String> launch, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(launch);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QUIESCE_"));
    long t0 = System.nanoTime();
    return new ChildJvm(pb.start(), t0, log);
  }

  /**
   * Starts a command that execs a JVM (such as {@code sample-emulator/run}): the process is then
   * the JVM itself, so its PID, RSS and signals are the JVM's.
   */
  static ChildJvm startCommand(List<String> cmd, java.util.Map<String, String> env, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QUIESCE_"));
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    return new ChildJvm(pb.start(), t0, log);
  }

  /** A port nobody listens on right now (bound and released: small race, fine for benchmarks). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  /** {@link System#nanoTime()} just before the process was started. */
  long startNanos() {
    return startNanos;
  }

  Path log() {
    return log;
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Sends SIGTERM and returns the instant it was sent. */
  long sigterm() {
    long t = System.nanoTime();
    process.destroy();
    return t;
  }

  /** Waits for exit; returns {exit code, exit instant in nanoTime} or throws after {@code limitMs}. */
  long[] awaitExit(long limitMs) throws Exception {
    try {
      long t = exitNanos.get(limitMs, TimeUnit.MILLISECONDS);
      return new long[] {process.exitValue(), t};
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new IllegalStateException("pid " + process.pid() + " did not exit within " + limitMs + " ms; log " + log, e);
    }
  }

  /** Resident set size now, in KiB, from /proc (0 if it cannot be read). */
  long rssKib() {
    return Proc.rssKib(process.pid());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
