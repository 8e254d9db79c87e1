package io.quiesce.http.routing;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers, before routing, the two request-targets that are not a path (RFC 9112 §3.2.3, §3.2.4):
 * {@code OPTIONS *} gets {@code 200} with an empty body, as Go's and Jetty's servers answer it (a
 * question about the server, not a resource; some clients send it as a ping); any other method on
 * {@code *} is {@code 400 invalid_target}; {@code CONNECT host:port} is {@code 405} with an empty
 * {@code Allow} (RFC 9110 §15.5.6: the target allows no method), since no emulator is a proxy.
 *
 * <p>The router cannot take them: it fails on a path it cannot match ({@code *}, or none at all)
 * and logs an ERROR for what is a client's request. Answered here, they are never routed, counted
 * or logged, and the connection stays usable.
 */
public final class NonPathTargets implements Handler<HttpServerRequest> {

  private static final String NOT_A_PROXY = "{\"error\":\"method_not_allowed\",\"message\":"
      + "\"CONNECT asks for a tunnel; this server is not a proxy.\"}";
  private static final String ASTERISK = "{\"error\":\"invalid_target\",\"message\":"
      + "\"The request-target '*' is only for OPTIONS (RFC 9112 3.2.4).\"}";

  private final Handler<HttpServerRequest> next;

  private NonPathTargets(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  /** {@code next} for every request whose target is a path (origin or absolute form); an answer for the others. */
  public static Handler<HttpServerRequest> answeredBefore(Handler<HttpServerRequest> next) {
    return new NonPathTargets(next);
  }

  @Override
  public void handle(HttpServerRequest request) {
    boolean connect = request.method().equals(HttpMethod.CONNECT);
    if (!connect && !"*".equals(request.uri())) {
      next.handle(request);
      return;
    }
    if (!request.isEnded()) {
      request.resume(); // discard an unread body; the connection stays usable
    }
    if (connect) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(NOT_A_PROXY);
    } else if (request.method().equals(HttpMethod.OPTIONS)) {
      request.response().setStatusCode(200).end();
    } else {
      request.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ASTERISK);
    }
  }
}
