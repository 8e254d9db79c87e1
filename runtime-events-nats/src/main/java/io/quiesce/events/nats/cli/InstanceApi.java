package io.quiesce.events.nats.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One running instance's {@code /_quiesce/lifecycle} routes, for the tools' {@code --http} way to
 * a fleet: the instance publishes over all its transports (clustered event bus, NATS) and keeps
 * the events it sees in its replay buffer.
 */
final class InstanceApi {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** What went wrong talking to the instance, in words for the tool's one line on stderr. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  private final URI base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT).build();

  InstanceApi(URI base) {
    this.base = base;
  }

  /** Asks the instance to publish {@code notice}; its answer (subject, notice, transports) on 202. */
  JsonObject groupRestart(JsonObject notice) throws Failure, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve("/_quiesce/lifecycle/group-restart")).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(notice.encode())).build(), 202);
  }

  /** The instance's recent events matching {@code filter}, oldest first. */
  JsonObject events(String filter) throws Failure, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve("/_quiesce/lifecycle/events?subject="
        + URLEncoder.encode(filter, StandardCharsets.UTF_8))).timeout(TIMEOUT).GET().build(), 200);
  }

  private JsonObject send(HttpRequest request, int expected) throws Failure, InterruptedException {
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure("cannot reach the instance at " + base + ": " + e);
    }
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (DecodeException | ClassCastException e) {
      throw new Failure("the instance at " + base + " answered " + response.statusCode() + " without JSON; is it a Quiesce runtime?");
    }
    if (response.statusCode() != expected) {
      throw new Failure("the instance at " + base + " answered " + response.statusCode() + ": "
          + body.getString("message", body.encode()));
    }
    return body;
  }
}
