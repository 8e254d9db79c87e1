package io.quiesce.http.events;

import io.quiesce.events.EventMessage;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.events.SubjectFilter;
import io.quiesce.http.routing.RuntimePaths;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Read-only HTTP views of the events:
 * <ul>
 *   <li>{@code GET /_quiesce/lifecycle/events?subject=FILTER&limit=N} — the replay buffer, oldest first
 *       (filter default {@code <prefix>.>}, limit default and maximum: the buffer size);</li>
 *   <li>{@code GET /_quiesce/lifecycle/services} — the discovery registry with each instance's status.</li>
 * </ul>
 * Like health, these are runtime routes (see {@link RuntimePaths}): they answer while starting
 * and while draining, so an operator can watch a shutdown, and they never count as traffic.
 */
public final class LifecycleRoutes {

  private final LifecycleEvents events;
  private final int bufferSize;

  public LifecycleRoutes(LifecycleEvents events, int bufferSize) {
    this.events = events;
    this.bufferSize = bufferSize;
  }

  public void mount(Router router) {
    router.get(RuntimePaths.LIFECYCLE + "/events").handler(this::events);
    router.get(RuntimePaths.LIFECYCLE + "/services").handler(ctx -> json(ctx, 200, events.registry().toJson()));
  }

  private void events(RoutingContext ctx) {
    String filterParam = ctx.request().getParam("subject");
    String limitParam = ctx.request().getParam("limit");
    SubjectFilter filter;
    int limit = bufferSize;
    try {
      filter = filterParam == null ? events.subjects().all() : SubjectFilter.of(filterParam);
    } catch (IllegalArgumentException e) {
      json(ctx, 400, new JsonObject().put("error", "bad_subject").put("message", e.getMessage()));
      return;
    }
    if (limitParam != null) {
      try {
        limit = Math.min(bufferSize, Integer.parseInt(limitParam.strip()));
        if (limit < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        json(ctx, 400, new JsonObject().put("error", "bad_limit")
            .put("message", "limit: expected a whole number >= 0, got \"" + limitParam + "\""));
        return;
      }
    }
    List<EventMessage> recent = events.recent(filter, limit);
    JsonArray list = new JsonArray();
    recent.forEach(m -> list.add(m.toJson()));
    json(ctx, 200, new JsonObject()
        .put("filter", filter.pattern())
        .put("buffer_size", bufferSize)
        .put("publish_failures", events.publishFailures())
        .put("events", list));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
