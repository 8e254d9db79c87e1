package io.quiesce.events;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One event as it travels: a concrete subject and a JSON body. Bodies published by the runtime
 * carry {@code event_id}, which lets a receiver drop the second copy of an event that reached it
 * over two transports.
 */
public record EventMessage(String subject, JsonObject body) {

  public EventMessage {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(body, "body");
  }

  /** The {@code event_id} of the body, or null if it has none. */
  public String eventId() {
    Object id = body.getValue("event_id");
    return id instanceof String s ? s : null;
  }

  /** The {@code instance_id} of the sender, or null if the body has none. */
  public String instanceId() {
    Object id = body.getValue("instance_id");
    return id instanceof String s ? s : null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("subject", subject).put("payload", body);
  }
}
