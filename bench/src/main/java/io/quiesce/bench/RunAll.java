package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs the benchmarks (all, or those named), prints each table as it completes, then writes
 * RESULTS.md (machine, JDK, command, date, load, figures) and prints one machine-readable line
 * {@code SUMMARY {json}}. bench/run-all builds the jars and calls this; see bench/README.md.
 *
 * <p>Usage: {@code RunAll --bench-jar J --sample-jar S [--work DIR] [--out RESULTS.md] [--command TEXT]
 * [--note TEXT] [tracking] [throughput] [startup] [cluster] [drain] [http2] [scale] [grpc]}
 */
public final class RunAll {

  static final List<String> ALL = List.of("tracking", "throughput", "startup", "cluster", "drain", "http2", "scale", "grpc");

  private RunAll() {}

  private static JsonObject summary(Instant started, String command, String note, String loadBefore, long[] ticksBefore,
      List<Section> sections, List<String> failures) {
    JsonObject summary = new JsonObject()
        .put("date", started.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("command", command)
        .put("note", note)
        .put("seconds", started.until(Instant.now(), ChronoUnit.SECONDS))
        .put("machine", Machine.describe().put("loadavg_before", loadBefore).put("loadavg_after", Machine.loadAverage())
            .put("steal_percent", Machine.stealPercent(ticksBefore, Machine.cpuTicks())));
    for (Section s : sections) {
      summary.put(s.key(), s.summary());
    }
    if (!failures.isEmpty()) {
      summary.put("failures", failures);
    }
    return summary;
  }

  public static void main(String[] args) throws Exception {
    Path benchJar = null;
    Path sampleJar = null;
    Path work = Path.of("bench/target/run");
    Path out = null;
    String command = "bench/run-all";
    String note = "";
    Set<String> only = new LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bench-jar" -> benchJar = Path.of(args[++i]).toAbsolutePath();
        case "--sample-jar" -> sampleJar = Path.of(args[++i]).toAbsolutePath();
        case "--work" -> work = Path.of(args[++i]).toAbsolutePath();
        case "--out" -> out = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--note" -> note = args[++i];
        default -> {
          if (!ALL.contains(args[i])) {
            System.err.println("unknown benchmark or option \"" + args[i] + "\"; benchmarks: " + ALL);
            System.exit(2);
          }
          only.add(args[i]);
        }
      }
    }
    if (benchJar == null || sampleJar == null) {
      System.err.println("--bench-jar and --sample-jar are required");
      System.exit(2);
    }
    List<String> chosen = only.isEmpty() ? ALL : ALL.stream().filter(only::contains).toList();
    Files.createDirectories(work);
    String loadBefore = Machine.loadAverage();
    long[] ticksBefore = Machine.cpuTicks();
    Instant started = Instant.now();
    List<Section> sections = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (String name : chosen) {
      System.out.println("== " + name);
      long t0 = System.nanoTime();
      try {
        Section s = switch (name) {
          case "tracking" -> JmhSection.run(benchJar, work);
          case "throughput" -> ThroughputSection.run(benchJar, sampleJar, work);
          case "startup" -> StartupSection.run(benchJar, sampleJar, work);
          case "cluster" -> ClusterSection.run(sampleJar, work);
          case "drain" -> DrainSection.run(sampleJar, work);
          case "http2" -> Http2DrainSection.run(sampleJar, work);
          case "scale" -> ScaleSection.run(sampleJar, work);
          case "grpc" -> GrpcSection.run(sampleJar, work);
          default -> throw new IllegalArgumentException(name);
        };
        sections.add(s);
        System.out.println(s.markdown());
      } catch (Exception | LinkageError e) {
        failures.add(name + ": " + e);
        System.out.println("FAILED: " + e);
        e.printStackTrace(System.out);
      }
      System.out.printf("(%s took %.0f s)%n%n", name, (System.nanoTime() - t0) / 1e9);
      if (out != null && sections.size() + failures.size() < chosen.size()) {
        // What is done so far, in case the run is cut (bench/run-all's overall time limit).
        List<String> pending = new ArrayList<>(failures);
        chosen.subList(sections.size() + failures.size(), chosen.size()).forEach(n -> pending.add(n + ": not run yet (run cut short?)"));
        Files.writeString(out, ResultsFile.render(summary(started, command, note, loadBefore, ticksBefore, sections, pending), sections, pending));
      }
    }
    JsonObject summary = summary(started, command, note, loadBefore, ticksBefore, sections, failures);
    if (out != null) {
      Files.writeString(out, ResultsFile.render(summary, sections, failures));
      System.out.println("wrote " + out);
    }
    System.out.println("SUMMARY " + summary.encode());
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
