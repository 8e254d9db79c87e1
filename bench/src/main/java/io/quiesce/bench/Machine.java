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
