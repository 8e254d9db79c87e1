package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** RESULTS.md: where the figures came from, then one part per benchmark, then the JSON summary. */
final class ResultsFile {

  /**
   * Above this 1-minute load average at the start, or this share of the CPUs' time stolen by the
   * host's other tenants over the run, the run is flagged as made on a loaded machine. The load
   * average at the end is not a sign: it counts the benchmark's own last sections.
   */
  static final double QUIET_LOAD = 1.0;
  static final double QUIET_STEAL_PERCENT = 2.0;

  private ResultsFile() {}

  private record Target(String target, String measured, boolean met) {}

  private static String mark(boolean met) {
    return met ? "✅" : "❌";
  }

  static boolean loaded(String loadavg) {
    try {
      return Double.parseDouble(loadavg.trim().split("\\s+")[0]) > QUIET_LOAD;
    } catch (RuntimeException e) {
      return true; // unknown: do not claim a quiet machine
    }
  }

  /** The targets, one row each, from a section's summary. */
  private static List<Target> targets(Section s) {
    JsonObject j = s.summary();
    List<Target> t = new ArrayList<>();
    switch (s.key()) {
      case "tracking" -> {
        double one = j.getDouble("requestTrackerAdmitted_ns", Double.NaN);
        double two = j.getDouble("requestTrackerAdmittedTwoThreads_vs_one_thread", Double.NaN);
        t.add(new Target("admitted path < 50 ns, one thread", one + " ns", one < 50));
        t.add(new Target("admitted path, two threads ≤ 1.5 × one thread", two + " ×", two <= 1.5));
        double bytes = j.getDouble("requestTrackerAdmitted_bytes_per_op", Double.NaN);
        boolean none = bytes < JmhSection.ZERO_BYTES; // below it, profiler noise (see the tracking notes)
        t.add(new Target("admitted path allocates 0 B/op", none ? "0 B/op" : bytes + " B/op", none));
      }
      case "throughput" -> {
        double b = j.getDouble("rps_ratio", Double.NaN);
        double c = j.getDouble("sample_demo_rps_ratio", Double.NaN);
        double p99 = j.getDouble("p99_ratio", Double.NaN);
        double sb = j.getDouble("sequential_rps_ratio", Double.NaN);
        double sc = j.getDouble("sequential_sample_demo_rps_ratio", Double.NaN);
        t.add(new Target("req/s runtime / plain Vert.x ≥ 0.98 (head to head; sequential runs: " + sb + ")",
            String.valueOf(b), b >= 0.98));
        t.add(new Target("req/s sample demo route / plain ≥ 0.95 (head to head; sequential runs: " + sc + ")",
            String.valueOf(c), c >= 0.95));
        t.add(new Target("p99 runtime / plain ≤ 1.10, at a fixed " + j.getInteger("fixed_rate_rps", 0) + " req/s (plain "
            + j.getDouble("plain_fixed_rate_p99_ms", Double.NaN) + " ms, runtime " + j.getDouble("runtime_fixed_rate_p99_ms", Double.NaN)
            + " ms; at saturation: " + j.getDouble("saturated_p99_ratio", Double.NaN) + ")", String.valueOf(p99), p99 <= 1.10));
      }
      case "startup" -> {
        double ms = j.getDouble("readme_command_ms", Double.NaN);
        double rss = j.getDouble("readme_command_rss_mib", Double.NaN);
        t.add(new Target("README command ready ≤ 300 ms (median; plain Vert.x: " + j.getDouble("plain_ms", Double.NaN)
            + " ms, ratio " + j.getDouble("readme_ratio_to_plain", Double.NaN) + ")", ms + " ms", ms <= 300));
        t.add(new Target("README command RSS at ready ≤ 100 MiB", rss + " MiB", rss <= 100));
      }
      case "drain" -> {
        long lost = j.getLong("lost", -1L);
        t.add(new Target("0 lost requests (all rounds; fresh connections reset in the listen backlog after the signal counted apart: "
            + j.getLong("lost_fresh_reset_after_signal", 0L) + ")", String.valueOf(lost), lost == 0));
        int idle = j.getInteger("rounds_counted_idle", 0);
        int busy = j.getInteger("rounds_counted_saturated", 0);
        t.add(new Target("≥ " + DrainSection.ROUNDS + " rounds (CPU idle) + " + DrainSection.SATURATED_ROUNDS
            + " (CPU saturated) with requests written after the signal", idle + " + " + busy + " (" + j.getLong("written_after_signal", 0L)
            + " requests after the signal)", idle >= DrainSection.ROUNDS && busy >= DrainSection.SATURATED_ROUNDS));
        t.add(new Target("every drain round exits 0", String.valueOf(j.getBoolean("drain_exit_codes_all_0", false)),
            j.getBoolean("drain_exit_codes_all_0", false)));
        double overrun = j.getDouble("forced_overrun_max_ms", Double.NaN);
        t.add(new Target("forced shutdown overrun < 50 ms (max)", overrun + " ms", overrun < 50));
      }
      case "http2" -> {
        long lost = j.getLong("lost", -1L);
        t.add(new Target("0 lost HTTP/2 streams (" + j.getLong("streams", 0L) + " streams)", String.valueOf(lost), lost == 0));
        t.add(new Target("every round exits 0, each connection drained with two GOAWAY frames", String.valueOf(j.getBoolean("targets_met")),
            j.getBoolean("targets_met")));
      }
      default -> { }
    }
    return t;
  }

  static String render(JsonObject summary, List<Section> sections, List<String> failures) {
    JsonObject m = summary.getJsonObject("machine");
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `bench/run-all` (see bench/README.md for what each figure means, and for why the targets not met are missed). Re-run it to replace this file.\n\n");
    if (!summary.getString("note", "").isBlank()) {
      md.append("> **").append(summary.getString("note")).append("**\n\n");
    }
    double steal = m.getDouble("steal_percent", Double.NaN);
    if (loaded(m.getString("loadavg_before")) || !(steal <= QUIET_STEAL_PERCENT)) {
      md.append("> ⚠️ **LOADED MACHINE**: the 1-minute load average at the start was ").append(m.getString("loadavg_before"))
          .append(" (quiet: ≤ ").append(QUIET_LOAD).append("), the host's other tenants took ").append(steal)
          .append(" % of the CPUs' time during the run (steal; quiet: ≤ ").append(QUIET_STEAL_PERCENT)
          .append(" %). Other work shared the CPUs: ratios within this run are indicative, absolute times are not.\n\n");
    }
    md.append("| | |\n|---|---|\n");
    md.append("| date (UTC) | ").append(summary.getString("date")).append(" |\n");
    md.append("| command | `").append(summary.getString("command")).append("` |\n");
    md.append("| duration | ").append(summary.getLong("seconds")).append(" s |\n");
    md.append("| machine | ").append(m.getInteger("nproc")).append(" CPUs (`nproc`), ").append(m.getLong("memory_gib"))
        .append(" GiB RAM, ").append(m.getString("cpu")).append(" |\n");
    md.append("| OS | ").append(m.getString("os")).append(" |\n");
    md.append("| JDK | ").append(m.getString("jdk")).append(" |\n");
    md.append("| wrk | ").append(m.getString("wrk")).append(" |\n");
    md.append("| load average before → after (1, 5, 15 min; after counts the benchmark's own last sections) | ")
        .append(m.getString("loadavg_before")).append(" → ").append(m.getString("loadavg_after")).append(" |\n");
    md.append("| CPU time stolen by the host's other tenants during the run (`/proc/stat` steal) | ").append(steal).append(" % |\n\n");
    md.append("## Targets\n\n| benchmark | target | measured | met |\n|---|---|---:|---|\n");
    for (Section s : sections) {
      List<Target> targets = targets(s);
      if (targets.isEmpty()) {
        md.append("| ").append(s.title()).append(" | all of its targets | | ").append(mark(s.summary().getBoolean("targets_met"))).append(" |\n");
      }
      for (Target t : targets) {
        md.append("| ").append(s.title()).append(" | ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
            .append(mark(t.met())).append(" |\n");
      }
    }
    for (String f : failures) {
      md.append("| ").append(f.replace("|", "\\|")).append(" | ❌ failed to run |\n");
    }
    for (Section s : sections) {
      md.append("\n## ").append(s.title()).append("\n\n").append(s.markdown().strip()).append("\n");
    }
    md.append("\n## Machine-readable summary\n\n```json\n").append(summary.encodePrettily()).append("\n```\n");
    return md.toString();
  }
}
