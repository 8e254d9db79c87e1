package io.quiesce.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tracking overhead: runs {@code TrackingBenchmark} in its own JMH JVM with {@code -prof gc} and
 * reads JMH's JSON result. Target: under 50 ns per enter/exit and per admitted request
 * uncontended, at most 1.5× that on two threads, and 0 B/op.
 */
final class JmhSection {

  static final double TARGET_NS = 50;
  /** The two-thread figure may be at most this many times the one-thread figure. */
  static final double TWO_THREAD_FACTOR = 1.5;
  /** JMH reports "≈ 10⁻⁴ B/op" for nothing allocated (profiler noise spread over billions of ops). */
  static final double ZERO_BYTES = 0.01;

  private JmhSection() {}

  static Section run(Path jar, Path work) throws Exception {
    Path json = work.resolve("jmh.json");
    Path log = work.resolve("logs/jmh.log");
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(json);
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jar.toString(), "org.openjdk.jmh.Main", "io.quiesce.bench.jmh.TrackingBenchmark",
        "-f", "1", "-wi", "3", "-w", "1", "-i", "5", "-r", "1", "-prof", "gc", "-rf", "json", "-rff", json.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("JMH did not finish within 240 s; see " + log);
    }
    if (p.exitValue() != 0 || !Files.exists(json)) {
      throw new IllegalStateException("JMH failed (exit " + p.exitValue() + "); see " + log);
    }
    JsonArray results = new JsonArray(Files.readString(json));
    // JMH exits 0 when a benchmark method throws: its row would just be missing.
    java.util.Set<String> done = new java.util.HashSet<>();
    results.forEach(o -> done.add(((JsonObject) o).getString("benchmark").replaceFirst(".*\\.", "")));
    for (java.lang.reflect.Method m : io.quiesce.bench.jmh.TrackingBenchmark.class.getMethods()) {
      if (m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class) && !done.contains(m.getName())) {
        throw new IllegalStateException("JMH benchmark " + m.getName() + " gave no result (it threw?); see " + log);
      }
    }
    StringBuilder md = new StringBuilder("| benchmark | threads | ns/op (± 99.9 %) | each iteration (ns/op) | B/op | target |\n|---|---:|---:|---|---:|---|\n");
    JsonObject summary = new JsonObject();
    boolean met = true;
    java.util.Map<String, Double> single = new java.util.HashMap<>();
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      single.put(r.getString("benchmark").replaceFirst(".*\\.", ""), r.getJsonObject("primaryMetric").getDouble("score"));
    }
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      String name = r.getString("benchmark").replaceFirst(".*\\.", "");
      int threads = r.getInteger("threads");
      JsonObject primary = r.getJsonObject("primaryMetric");
      double ns = primary.getDouble("score");
      double err = primary.getDouble("scoreError", 0.0);
      double bytes = allocNorm(r.getJsonObject("secondaryMetrics"));
      String target = "0 B/op";
      boolean ok = bytes < ZERO_BYTES;
      if (name.equals("enterExit") || name.equals("requestTrackerAdmitted")) {
        target = "< " + (int) TARGET_NS + " ns, 0 B/op";
        ok &= ns < TARGET_NS;
      } else if (name.endsWith("TwoThreads") && single.containsKey(name.replace("TwoThreads", ""))) {
        // Two event loops must not slow each other down: no write that both threads share.
        double one = single.get(name.replace("TwoThreads", ""));
        target = String.format("≤ %.0f ns (%.1f× one thread), 0 B/op", TWO_THREAD_FACTOR * one, TWO_THREAD_FACTOR);
        ok &= ns <= TWO_THREAD_FACTOR * one;
        summary.put(name + "_vs_one_thread", Stats.round(ns / one, 2));
      }
      met &= ok;
      List<Double> iterations = new ArrayList<>();
      for (Object fork : primary.getJsonArray("rawData")) {
        ((JsonArray) fork).forEach(x -> iterations.add(((Number) x).doubleValue()));
      }
      md.append(String.format("| %s | %d | %.1f ± %.1f | %s | %s | %s %s |%n", name, threads, ns, Double.isNaN(err) ? 0 : err,
          Stats.list(iterations, 1),
          bytes < ZERO_BYTES ? "0" : String.format("%.2f", bytes), target, ok ? "✅" : "❌"));
      summary.put(name + "_ns", Stats.round(ns, 2)).put(name + "_bytes_per_op", Stats.round(bytes, 3));
    }
    md.append("\n").append("B/op is JMH's `gc.alloc.rate.norm`; values below ").append(ZERO_BYTES)
        .append(" are profiler noise spread over billions of operations and shown as 0. `requestTrackerAdmitted` runs the real handler on a stub request (enter, the event loop's pooled end callback registered with the stub, which stands in for the connection and stores one field, the hand-on to a router that answers at once and so tells the end, exit, the request counted in `RequestStats` and one request in 16 timed (two clock reads)); `requestStatsRecord` is that call alone; the two-thread variants share one tracker and one `RequestStats`, as two event loops do. On a server the connection tells the end (HTTP/1.x: its guard, one pipeline look-up; HTTP/2: a stream-id map), with nothing allocated; the tracker sets no response handler and is no route.\n");
    summary.put("targets_met", met);
    return new Section("tracking", "Tracking overhead (JMH, -prof gc)", md.toString(), summary);
  }

  private static double allocNorm(JsonObject secondary) {
    if (secondary == null) {
      return Double.NaN;
    }
    for (String k : secondary.fieldNames()) {
      if (k.endsWith("gc.alloc.rate.norm")) {
        return secondary.getJsonObject(k).getDouble("score");
      }
    }
    return Double.NaN;
  }
}
