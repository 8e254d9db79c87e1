package io.quiesce.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What /proc and jcmd say about a process, and short commands' output. */
final class Proc {

  private static final Pattern HEAP_USED = Pattern.compile("total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K"); // JDK 17 and JDK 25 (G1) forms

  private Proc() {}

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /**
   * The CPU time each thread of a process has had so far, in ns: the scheduler's own count
   * ({@code /proc/<pid>/task/<tid>/schedstat}), where the process's user and system times come in
   * 10 ms ticks, 0.5 % of a 2 s run. Where there is no such file (not Linux, no schedstat), the
   * process's total from {@link ProcessHandle} under one key.
   */
  record CpuTimes(Map<String, Long> byThread) {

    /**
     * CPU time between {@code before} and this: each thread's difference, a thread started since
     * counted whole. A thread that ended in between is left out; its last moments are lost, which
     * for the JVM's threads (compiler threads that end after going idle) is next to nothing.
     */
    long nanosSince(CpuTimes before) {
      long sum = 0;
      for (Map.Entry<String, Long> e : byThread.entrySet()) {
        sum += e.getValue() - before.byThread().getOrDefault(e.getKey(), 0L);
      }
      return sum;
    }
  }

  /** The CPU time of each thread of {@code pid} so far; fails if none is known. */
  static CpuTimes cpuTimes(long pid) {
    Map<String, Long> times = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String line = Files.readString(task.resolve("schedstat"));
          times.put(task.getFileName().toString(), Long.parseLong(line.substring(0, line.indexOf(' '))));
        } catch (IOException | RuntimeException ended) {
          // The thread ended between the listing and the read: nothing to count for it.
        }
      }
    } catch (IOException noProc) {
      times.clear();
    }
    if (times.isEmpty()) {
      times.put("process", ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
          .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + pid)).toNanos());
    }
    return new CpuTimes(times);
  }

  /** Live heap in KiB after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  static long liveHeapKib(long pid) throws Exception {
    run(List.of("jcmd", Long.toString(pid), "GC.run"), 60);
    String info = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"), 60);
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info output:\n" + info);
    }
    return Long.parseLong(m.group(1));
  }

  /** Runs a command (argv, no shell) and returns stdout+stderr; fails after {@code limitSeconds}. */
  static String run(List<String> cmd, long limitSeconds) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " did not finish within " + limitSeconds + " s");
    }
    return new String(out, java.nio.charset.StandardCharsets.UTF_8).trim();
  }
}
