package io.quiesce.cli;

import io.quiesce.config.LoadedConfig;
import io.quiesce.process.InstanceRecord;
import io.quiesce.process.PidFile;
import io.quiesce.process.StateFiles;
import io.vertx.core.json.DecodeException;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
      "Show whether the background instance runs, and how the last shutdown went.",
      "Running: PID, uptime, URL, lifecycle state, health and version from its /_quiesce/health."
    },
    footer = {"", "Exit codes (as LSB init scripts): 0 running; 1 not running but the PID file exists (stale);",
        "2 bad configuration or usage; 3 not running; 4 unknown (the PID file cannot be read)."})
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
    PidFile.Entry entry = pidFile.read();
    if (entry instanceof PidFile.Entry.Live live) {
      code = RUNNING;
      describeLive(live.process(), files, status);
    } else if (entry instanceof PidFile.Entry.Stale stale) {
      code = DEAD_WITH_PID_FILE;
      status.put("running", false).put("pid", stale.pid())
          .put("problem", "stale PID file: PID " + stale.pid() + " is not running");
    } else if (entry instanceof PidFile.Entry.Unreadable unreadable) {
      code = UNKNOWN;
      status.put("running", false).put("problem", unreadable.problem());
    } else {
      code = NOT_RUNNING;
      status.put("running", false);
    }
    readLastShutdown(files).ifPresent(report -> status.put("last_shutdown", report));
    PrintStream out = cli().out();
    if (json) {
      out.println(status.encode());
    } else {
      printText(status, out);
    }
    return code;
  }

  private static void describeLive(ProcessHandle process, StateFiles files, JsonObject status) throws InterruptedException {
    status.put("running", true).put("pid", process.pid());
    process.info().startInstant().ifPresent(t -> status.put("uptime_seconds", Duration.between(t, Instant.now()).toSeconds()));
    InstanceRecord record = InstanceRecord.readFor(files.instance(), process.pid()).orElse(null);
    if (record == null) {
      status.put("health", "unknown").put("problem", "no address recorded for this PID (was it started with 'start'?)");
      return;
    }
    status.put("url", record.url());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(record.url() + "/_quiesce/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject health = new JsonObject(answer.body());
      status.put("state", health.getString("status"))
          .put("health", answer.statusCode() == 200 ? "up" : "down")
          .put("version", health.getString("version"))
          .put("in_flight_requests", health.getValue("in_flight_requests"));
    } catch (IOException | DecodeException | ClassCastException e) {
      status.put("health", "unreachable").put("problem", "GET " + record.url() + "/health failed: " + e);
    }
  }

  private static java.util.Optional<JsonObject> readLastShutdown(StateFiles files) {
    try {
      return java.util.Optional.of(new JsonObject(Files.readString(files.lastShutdown())));
    } catch (IOException | DecodeException e) {
      return java.util.Optional.empty();
    }
  }

  private void printText(JsonObject s, PrintStream out) {
    boolean running = s.getBoolean("running");
    out.println(cli().name() + (running ? " is running" : " is not running"));
    row(out, "PID", s.getValue("pid"));
    row(out, "uptime", s.containsKey("uptime_seconds") ? s.getLong("uptime_seconds") + " s" : null);
    row(out, "URL", s.getString("url"));
    row(out, "state", s.getString("state"));
    row(out, "health", s.getString("health"));
    row(out, "version", s.getString("version"));
    row(out, "problem", s.getString("problem"));
    row(out, "PID file", s.getString("pid_file"));
    JsonObject last = s.getJsonObject("last_shutdown");
    if (last != null) {
      row(out, "last shutdown", String.format("%s, %s, %s in %d ms%s", last.getString("started_at"),
          last.getString("reason"), last.getBoolean("forced", false) ? "forced" : "clean", last.getLong("total_ms", 0L),
          last.getJsonArray("cut", new io.vertx.core.json.JsonArray()).isEmpty() ? "" : "; cut: " + last.getJsonArray("cut").encode()));
    }
  }

  private static void row(PrintStream out, String label, Object value) {
    if (value != null) {
      out.printf("  %-14s %s%n", label + ":", value);
    }
  }
}
