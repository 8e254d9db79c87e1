package io.quiesce.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** RESULTS.md: where the figures came from, then one part per benchmark, then the JSON summary. */
final class ResultsFile {

  private ResultsFile() {}

  static String render(JsonObject summary, List<Section> sections, List<String> failures) {
    JsonObject m = summary.getJsonObject("machine");
    StringBuilder md = new StringBuilder();
    md.append("# Benchmark results\n\n");
    md.append("Written by `bench/run-all` (see bench/README.md for what each figure means). Re-run it to replace this file.\n\n");
    if (!summary.getString("note", "").isBlank()) {
      md.append("> **").append(summary.getString("note")).append("**\n\n");
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
    md.append("| load average before → after (1, 5, 15 min) | ").append(m.getString("loadavg_before")).append(" → ")
        .append(m.getString("loadavg_after")).append(" |\n\n");
    md.append("## Targets at a glance\n\n| benchmark | targets met |\n|---|---|\n");
    for (Section s : sections) {
      md.append("| ").append(s.title()).append(" | ").append(s.summary().getBoolean("targets_met") ? "✅ yes" : "❌ no").append(" |\n");
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
