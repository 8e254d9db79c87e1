package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.process.InstanceRecord;
import io.quiesce.process.PidFile;
import io.quiesce.process.StateFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show whether the background instance runs, and how it last ended.",
        "Running: PID, uptime, URL, lifecycle state, health (healthy, degraded or failing, with the reasons) "
        + "and version from its /_quiesce/health. Not running: whether the last instance shut down, or crashed or was killed."},
    footer = {"", "Exit codes (as LSB init scripts): 0 running; 1 not running but the PID file exists (stale); "
        + "2 bad configuration or usage; 3 not running; 4 unknown (the PID file cannot be read)."})
final class StatusCommand extends ControlCommand {

  static final int RUNNING = 0;
  static final int DEAD_WITH_PID_FILE = 1;
  static final int NOT_RUNNING = 3;
  static final int UNKNOWN = 4;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  int call(LoadedConfig config) throws Exception {
    StateFiles files = cli().stateFiles(config);
    PidFile pidFile = new PidFile(files.pidFile());
    JsonObject status = new JsonObject().put("name", cli().name()).put("pid_file", files.pidFile().toString());
    int code;
    PidFile.Entry entry = pidFile.read(files.instance());
    if (entry instanceof PidFile.Entry.Live live) {
      code = RUNNING;
      describeLive(live.process(), live.instance(), status);
    } else if (entry instanceof PidFile.Entry.Stale stale) {
      code = DEAD_WITH_PID_FILE;
      status.put("running", false).put("pid", stale.pid())
          .put("problem", "stale PID file: PID " + stale.pid() + " is not running");
    } else if (entry instanceof PidFile.Entry.NotTheInstance other) {
      code = DEAD_WITH_PID_FILE;
      status.put("running", false).put("pid", other.pid())
          .put("problem", "stale PID file: PID " + other.pid() + " is another process now, not this instance (" + other.why() + ")");
    } else if (entry instanceof PidFile.Entry.Unreadable unreadable) {
      code = UNKNOWN;
      status.put("running", false).put("problem", unreadable.problem());
    } else {
      code = NOT_RUNNING;
      status.put("running", false);
    }
    Optional<JsonObject> lastShutdown = readLastShutdown(files);
    lastShutdown.ifPresent(report -> status.put("last_shutdown", report));
    if (!(entry instanceof PidFile.Entry.Live) && !(entry instanceof PidFile.Entry.Unreadable)) {
      InstanceRecord.read(files.instance())
          .filter(instance -> !shutDown(instance, lastShutdown))
          .ifPresent(instance -> status.put("last_instance", new JsonObject().put("pid", instance.pid())
              .put("started_at", instance.startedAt().toString()).put("ready", instance.url() != null)
              .put("shut_down", false)));
    }
    PrintStream out = cli().out();
    if (json) {
      out.println(status.encode());
    } else {
      printText(status, out);
    }
    return code;
  }

  /**
   * Whether {@code instance}, no longer running, left a shutdown report: the last report is its
   * own (same PID), or was written after it was launched (a later foreground run, which says the
   * latest). A process killed with SIGKILL, or crashed, writes none.
   */
  private static boolean shutDown(InstanceRecord instance, Optional<JsonObject> lastShutdown) {
    if (lastShutdown.isEmpty()) {
      return false;
    }
    JsonObject report = lastShutdown.get();
    try {
      Long pid = report.getLong("pid");
      if (pid != null && pid == instance.pid()) {
        return true;
      }
      String at = report.getString("started_at");
      return at != null && Instant.parse(at).isAfter(instance.startedAt());
    } catch (ClassCastException | java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static void describeLive(ProcessHandle process, InstanceRecord record, JsonObject status) throws InterruptedException {
    status.put("running", true).put("pid", process.pid());
    process.info().startInstant().ifPresent(t -> status.put("uptime_seconds", Duration.between(t, Instant.now()).toSeconds()));
    if (record.url() == null) {
      status.put("health", "unknown").put("problem", "starting: no address recorded yet (not ready)");
      return;
    }
    status.put("url", record.url());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(record.url() + "/_quiesce/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject health = new JsonObject(answer.body());
      // The health model's own verdict (healthy, degraded, failing) and why; the HTTP status alone
      // is 200 for degraded too. Only a body without a model falls back to the status code.
      String verdict = health.getString("health", answer.statusCode() == 200 ? "up" : "down");
      status.put("state", health.getString("status"))
          .put("health", verdict)
          .put("health_reasons", health.getJsonArray("reasons", new JsonArray()))
          .put("version", health.getString("version"))
          .put("in_flight_requests", health.getValue("in_flight_requests"));
    } catch (IOException | DecodeException | ClassCastException e) {
      status.put("health", "unreachable").put("problem", "GET " + record.url() + "/health failed: " + e);
    }
  }

  private static Optional<JsonObject> readLastShutdown(StateFiles files) {
    try {
      return Optional.of(new JsonObject(Files.readString(files.lastShutdown())));
    } catch (IOException | DecodeException e) {
      return Optional.empty();
    }
  }

  private void printText(JsonObject s, PrintStream out) {
    boolean running = s.getBoolean("running");
    out.println(cli().name() + (running ? " is running" : " is not running"));
    row(out, "PID", s.getValue("pid"));
    row(out, "uptime", s.containsKey("uptime_seconds") ? s.getLong("uptime_seconds") + " s" : null);
    row(out, "URL", s.getString("url"));
    row(out, "state", s.getString("state"));
    JsonArray reasons = s.getJsonArray("health_reasons", new JsonArray());
    row(out, "health", s.getString("health") == null ? null
        : s.getString("health") + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons.stream().map(String::valueOf).toList())));
    row(out, "version", s.getString("version"));
    row(out, "problem", s.getString("problem"));
    row(out, "PID file", s.getString("pid_file"));
    JsonObject lastInstance = s.getJsonObject("last_instance");
    if (lastInstance != null) {
      row(out, "last instance", String.format("PID %d, started %s, did not shut down: %s", lastInstance.getLong("pid"),
          lastInstance.getString("started_at"), lastInstance.getBoolean("ready")
              ? "it crashed or was killed (no shutdown report)"
              : "it exited or was killed before it was ready (see 'logs')"));
    }
    JsonObject last = s.getJsonObject("last_shutdown");
    if (last != null) {
      row(out, lastInstance != null ? "before that" : "last shutdown", String.format("%s, %s, %s in %d ms%s%s",
          last.getString("started_at"), last.getString("reason"), last.getBoolean("forced", false) ? "forced" : "clean",
          last.getLong("total_ms", 0L),
          last.getJsonArray("cut", new JsonArray()).isEmpty() ? "" : "; cut: " + last.getJsonArray("cut").encode(),
          last.containsKey("pid") ? " (PID " + last.getLong("pid") + ")" : ""));
    }
  }

  private static void row(PrintStream out, String label, Object value) {
    if (value != null) {
      out.printf("  %-14s %s%n", label + ":", value);
    }
  }
}
