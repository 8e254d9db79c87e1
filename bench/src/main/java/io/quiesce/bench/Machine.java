package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine the figures come from: cores, memory, JDK, OS, load. */
final class Machine {

  private Machine() {}

  static JsonObject describe() {
    return new JsonObject()
        .put("nproc", Runtime.getRuntime().availableProcessors())
        .put("memory_gib", memoryGib())
        .put("cpu", cpuModel())
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("wrk", command(List.of("wrk", "-v")).lines().findFirst().orElse("unavailable"));
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /**
   * The CPUs' time so far, from the first line of {@code /proc/stat}: {all ticks, steal ticks}. Steal
   * is the time a virtual CPU wanted to run while the hypervisor ran another tenant: the one sign of
   * other tenants the guest can see. {0, 0} if it cannot be read.
   */
  static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long all = 0;
      for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
        all += Long.parseLong(f[i]);
      }
      return new long[] {all, f.length > 8 ? Long.parseLong(f[8]) : 0};
    } catch (Exception e) {
      return new long[] {0, 0};
    }
  }

  /** Steal between two {@link #cpuTicks()} readings, in per cent of the CPUs' time; NaN if unknown. */
  static double stealPercent(long[] before, long[] after) {
    long all = after[0] - before[0];
    return all <= 0 ? Double.NaN : Math.round(1000.0 * (after[1] - before[1]) / all) / 10.0;
  }

  private static long memoryGib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      return "unknown";
    }
    return "unknown";
  }

  private static String command(List<String> cmd) {
    try {
      return Proc.run(cmd, 10);
    } catch (Exception e) {
      return "unavailable";
    }
  }
}
