package io.quiesce.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  /** User + system CPU time of the process so far, in ns (the kernel's 10 ms ticks); fails if unknown. */
  static long cpuNanos(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
        .orElseThrow(() -> new IllegalStateException("no CPU time for pid " + pid)).toNanos();
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
