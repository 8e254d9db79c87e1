package io.quiesce.http.events;

import io.quiesce.events.EventMessage;
import io.quiesce.events.InvalidNoticeException;
import io.quiesce.events.RestartNotice;
import io.quiesce.events.LifecycleEvents;
import io.quiesce.events.SubjectFilter;
import io.quiesce.http.routing.RuntimePaths;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Read-only HTTP views of the events:
 * <ul>
 *   <li>{@code GET /_quiesce/lifecycle/events?subject=FILTER&limit=N} — the replay buffer, oldest first
 *       (filter default {@code <prefix>.>}, limit default and maximum: the buffer size);</li>
 *   <li>{@code GET /_quiesce/lifecycle/services} — the discovery registry with each instance's status;</li>
 *   <li>{@code POST /_quiesce/lifecycle/group-restart} — with {@code events.http_restart} only (403
 *       otherwise): publishes the group restart notice in the body to the fleet, over every
 *       transport, for tools that cannot reach the fleet's event bus themselves.</li>
 * </ul>
 * Like health, these are runtime routes (see {@link RuntimePaths}): they answer while starting
 * and while draining, so an operator can watch a shutdown, and they never count as traffic.
 */
public final class LifecycleRoutes {

  private static final Logger LOG = LogManager.getLogger(LifecycleRoutes.class);
  /** Largest group restart notice accepted; a notice is a few hundred bytes. */
  static final int NOTICE_LIMIT = 64 * 1024;

  private final LifecycleEvents events;
  private final int bufferSize;
  private final boolean httpRestart;

  public LifecycleRoutes(LifecycleEvents events, int bufferSize, boolean httpRestart) {
    this.events = events;
    this.bufferSize = bufferSize;
    this.httpRestart = httpRestart;
  }

  /** Registers the routes on {@code own}, the router of the runtime's namespace ({@link RuntimePaths#mountOwnRouter}). */
  public void mount(Router own) {
    String base = RuntimePaths.below(RuntimePaths.LIFECYCLE);
    own.get(base + "/events").handler(this::events);
    own.get(base + "/services").handler(ctx -> json(ctx, 200, events.registry().toJson()));
    // Vert.x Web wants the body handler first on a route; the notice is small (a larger body is 413).
    own.post(base + "/group-restart").handler(BodyHandler.create(false).setBodyLimit(NOTICE_LIMIT))
        .handler(this::groupRestart);
  }

  private void groupRestart(RoutingContext ctx) {
    if (!httpRestart) {
      json(ctx, 403, new JsonObject().put("error", "http_restart_off").put("message",
          "group restart over HTTP is off on this instance; start it with events.http_restart=true to allow it"));
      return;
    }
    RestartNotice notice;
    try {
      String text = ctx.body().asString();
      notice = RestartNotice.parse(text == null ? "" : text);
    } catch (InvalidNoticeException e) {
      json(ctx, 400, new JsonObject().put("error", "bad_notice").put("message", e.getMessage())
          .put("problems", new JsonArray(List.copyOf(e.problems()))));
      return;
    }
    LOG.warn("Group restart requested over HTTP by {} ({}), published to the fleet", notice.initiator(), notice.reason());
    String subject = events.requestGroupRestart(notice);
    json(ctx, 202, new JsonObject().put("subject", subject).put("notice", notice.toJson())
        .put("transports", new JsonArray(events.hub().transportNames())));
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
