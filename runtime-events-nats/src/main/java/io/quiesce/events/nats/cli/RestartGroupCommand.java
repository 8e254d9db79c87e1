package io.quiesce.events.nats.cli;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.quiesce.config.UrlCredentials;
import io.quiesce.events.RestartNotice;
import io.quiesce.events.Subjects;
import io.quiesce.signal.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restart-group --reason TEXT [--delay SECONDS] [--target NAME]...}: sends one group restart
 * notice over NATS, or with {@code --http URL} asks that running instance to publish it over all its
 * transports (it must allow it: {@code events.http_restart}). Every targeted service keeps serving
 * for the delay, then drains and exits with code 75 for its supervisor to start it again.
 */
@Command(name = "restart-group", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Ask a fleet (or some of its services) to restart gracefully after a delay.",
    footer = {"", "Exit codes: 0 notice sent, 2 bad usage, 1 not sent: NATS or the instance",
        "unreachable, or the instance refused."})
public final class RestartGroupCommand implements Callable<Integer> {

  @Mixin
  FleetOptions fleet = new FleetOptions();

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; every service logs it.")
  String reason;

  @Option(names = "--delay", paramLabel = "SECONDS", defaultValue = "10",
      description = "How long services keep serving before they shut down (0 to 3600, default: ${DEFAULT-VALUE}).")
  double delaySeconds;

  @Option(names = "--target", paramLabel = "SERVICE",
      description = "Restart only this service (repeatable); default: every service.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--initiator", paramLabel = "NAME", description = "Who asks (default: $USER@hostname).")
  String initiator;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(delaySeconds >= 0 && delaySeconds <= RestartNotice.MAX_DELAY.toSeconds()) || reason.isBlank()) {
      err.println("--delay must be from 0 to " + RestartNotice.MAX_DELAY.toSeconds() + " seconds and --reason not blank");
      return ExitCodes.BAD_CONFIG;
    }
    Subjects subjects;
    try {
      subjects = new Subjects(fleet.prefix);
    } catch (IllegalArgumentException e) {
      err.println("--prefix: " + e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    Optional<URI> instance = fleet.instance();
    RestartNotice notice = new RestartNotice(initiator == null ? defaultInitiator() : initiator, reason,
        Duration.ofMillis(Math.round(delaySeconds * 1000)), Instant.now(), targets);
    if (instance.isPresent()) {
      try {
        JsonObject answer = new InstanceApi(instance.get()).groupRestart(notice.toJson());
        out.println("Sent group restart through " + instance.get() + " on " + answer.getString("subject") + " (transports: "
            + answer.getJsonArray("transports").encode() + "): " + notice.toJson().encode());
        return ExitCodes.CLEAN;
      } catch (InstanceApi.Failure e) {
        err.println("Cannot send the notice: " + e.getMessage());
        return ExitCodes.FAILED;
      }
    }
    try (Connection connection = Nats.connect(CliConnections.options(fleet.natsUrl()))) {
      connection.publish(subjects.groupRestart(),
          notice.toJson().put("event_id", UUID.randomUUID().toString()).toBuffer().getBytes());
      connection.flush(Duration.ofSeconds(5));
    } catch (Exception e) {
      err.println("Cannot send the notice to NATS at " + fleet.shownUrl() + ": " + UrlCredentials.redact(e.getMessage()));
      return ExitCodes.FAILED;
    }
    out.println("Sent group restart on " + subjects.groupRestart() + ": " + notice.toJson().encode());
    return ExitCodes.CLEAN;
  }

  private static String defaultInitiator() {
    String user = System.getProperty("user.name", "unknown");
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? user : user + "@" + host;
  }
}
