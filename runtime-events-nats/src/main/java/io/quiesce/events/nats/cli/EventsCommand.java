package io.quiesce.events.nats.cli;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quiesce.config.UrlCredentials;
import io.quiesce.events.SubjectFilter;
import io.quiesce.signal.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code events [--follow] [--subject FILTER]}: prints a fleet's events from NATS as they happen,
 * one line each: the subject, a space, the JSON payload. Without {@code --follow} it stops after
 * {@code --count} events or {@code --timeout}, whichever comes first. With {@code --http URL} it
 * reads them from that running instance's replay buffer instead, every {@link #HTTP_POLL}: what
 * the instance hears (over a clustered event bus: the whole fleet), from the moment the tool starts.
 */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Print lifecycle events from NATS (or through an instance: --http) as they happen: SUBJECT JSON, one per line.",
    footer = {"", "Exit codes: 0 done, 1 NATS or the instance unreachable, 2 bad usage."})
public final class EventsCommand implements Callable<Integer> {

  /** How often {@code --http} asks the instance for new events. */
  static final Duration HTTP_POLL = Duration.ofMillis(500);
  /** Event ids remembered with {@code --http}, to print each event once; more than any replay buffer holds. */
  private static final int SEEN_IDS = 200_000;

  @Mixin
  FleetOptions fleet = new FleetOptions();

  @Option(names = "--subject", paramLabel = "FILTER",
      description = "Subject filter with NATS wildcards * and > (default: <prefix>.>), e.g. quiesce.lifecycle.*.startup")
  String subject;

  @Option(names = {"-f", "--follow"}, description = "Keep printing until interrupted (Ctrl-C).")
  boolean follow;

  @Option(names = "--count", paramLabel = "N", defaultValue = "100",
      description = "Without --follow: stop after N events (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
      description = "Without --follow: stop after this many seconds (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String filter = subject == null ? fleet.prefix + ".>" : subject;
    try {
      SubjectFilter.of(filter);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    Optional<URI> instance = fleet.instance();
    if (instance.isPresent()) {
      return throughInstance(new InstanceApi(instance.get()), instance.get(), filter, out, err);
    }
    Connection connection;
    try {
      connection = Nats.connect(CliConnections.options(fleet.natsUrl()));
    } catch (Exception e) {
      err.println("Cannot connect to NATS at " + fleet.shownUrl() + ": " + UrlCredentials.redact(e.getMessage()));
      return ExitCodes.FAILED;
    }
    try (connection) {
      Subscription sub = connection.subscribe(filter);
      connection.flush(Duration.ofSeconds(5));
      err.println("Watching " + filter + " on " + fleet.shownUrl() + (follow ? " (Ctrl-C to stop)" : ""));
      err.flush();
      long deadline = System.nanoTime() + Duration.ofMillis((long) (timeoutSeconds * 1000)).toNanos();
      int printed = 0;
      while (follow || (printed < count && System.nanoTime() < deadline)) {
        long waitMs = follow ? 1000 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        Message m = sub.nextMessage(Duration.ofMillis(waitMs));
        if (m != null) {
          out.println(m.getSubject() + " " + new String(m.getData(), StandardCharsets.UTF_8));
          out.flush();
          printed++;
        }
      }
      return ExitCodes.CLEAN;
    }
  }

  /** Prints the instance's events that arrive after the tool started, each once (by event_id). */
  private int throughInstance(InstanceApi api, URI base, String filter, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > SEEN_IDS;
      }
    });
    try {
      collect(api.events(filter), seen); // what happened before the tool started is not printed
    } catch (InstanceApi.Failure e) {
      err.println("Cannot read events: " + e.getMessage());
      return ExitCodes.FAILED;
    }
    err.println("Watching " + filter + " through " + base + (follow ? " (Ctrl-C to stop)" : ""));
    err.flush();
    long deadline = System.nanoTime() + Duration.ofMillis((long) (timeoutSeconds * 1000)).toNanos();
    int printed = 0;
    while (follow || (printed < count && System.nanoTime() < deadline)) {
      Thread.sleep(HTTP_POLL.toMillis()); // the poll interval: the instance has no push
      List<JsonObject> fresh;
      try {
        fresh = collect(api.events(filter), seen);
      } catch (InstanceApi.Failure e) {
        err.println("Cannot read events: " + e.getMessage());
        return ExitCodes.FAILED;
      }
      for (JsonObject event : fresh) {
        if (!follow && printed >= count) {
          break;
        }
        out.println(event.getString("subject") + " " + event.getJsonObject("payload").encode());
        printed++;
      }
      out.flush();
    }
    return ExitCodes.CLEAN;
  }

  /** The events of {@code answer} not seen before, oldest first; marks them seen. */
  private static List<JsonObject> collect(JsonObject answer, Set<String> seen) {
    List<JsonObject> fresh = new ArrayList<>();
    for (Object o : answer.getJsonArray("events")) {
      JsonObject event = (JsonObject) o;
      JsonObject payload = event.getJsonObject("payload");
      String id = payload.getString("event_id", event.getString("subject") + " " + payload.encode());
      if (seen.add(id)) {
        fresh.add(event);
      }
    }
    return fresh;
  }
}
