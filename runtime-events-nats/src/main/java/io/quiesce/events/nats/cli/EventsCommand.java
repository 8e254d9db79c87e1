package io.quiesce.events.nats.cli;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.quiesce.config.UrlCredentials;
import io.quiesce.events.SubjectFilter;
import io.quiesce.signal.ExitCodes;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code events [--follow] [--subject FILTER]}: prints a fleet's events from NATS as they happen,
 * one line each: the subject, a space, the JSON payload. Without {@code --follow} it stops after
 * {@code --count} events or {@code --timeout}, whichever comes first.
 */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Print lifecycle events from NATS as they happen: SUBJECT JSON, one per line.",
    footer = {"", "Exit codes: 0 done, 1 NATS unreachable, 2 bad usage."})
public final class EventsCommand implements Callable<Integer> {

  @Mixin
  NatsOptions nats = new NatsOptions();

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
    String filter = subject == null ? nats.prefix + ".>" : subject;
    try {
      SubjectFilter.of(filter);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.BAD_CONFIG;
    }
    Connection connection;
    try {
      connection = Nats.connect(CliConnections.options(nats.url));
    } catch (Exception e) {
      err.println("Cannot connect to NATS at " + nats.shownUrl() + ": " + UrlCredentials.redact(e.getMessage()));
      return ExitCodes.FAILED;
    }
    try (connection) {
      Subscription sub = connection.subscribe(filter);
      connection.flush(Duration.ofSeconds(5));
      err.println("Watching " + filter + " on " + nats.shownUrl() + (follow ? " (Ctrl-C to stop)" : ""));
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
}
