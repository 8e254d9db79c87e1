package io.quiesce.http.routing;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses, with 400 {@code invalid_path}, every request whose raw path has a dot segment: a
 * segment that is exactly {@code .} or {@code ..}, each dot written as itself or percent-encoded
 * ({@code %2e}, {@code %2E}), so {@code /a/../b}, {@code /a/%2e%2e/b}, {@code /a/.%2E/b} and
 * {@code /./b} alike.
 *
 * <p>Why refuse rather than normalize: the router matches on the path with dot segments removed
 * (Vert.x Web's {@code normalizedPath()}, which also decodes {@code %2e}), but an emulator reads
 * {@code request.path()}, the raw one. The same request would then be judged on one path and
 * served on another ({@code PUT /objs/../health/x} looked like a health probe to the router and
 * like object {@code ../health/x} in bucket {@code objs} to S3). No SDK sends dot segments
 * (RFC 3986 section 5.2.4 has clients remove them before sending), so refusing them costs a
 * well-behaved client nothing and leaves one path for everybody.
 *
 * <p>Decided once, in front of the router: such a request is never routed, counted or stored.
 * The check reads the path's characters in place and allocates nothing; the refusal leaves
 * {@code Connection} to the server (during drain the connection guard has already made the
 * exchange the connection's last).
 */
public final class DotSegments implements Handler<HttpServerRequest> {

  private static final String REFUSAL = "{\"error\":\"invalid_path\",\"message\":"
      + "\"The request path has a '.' or '..' segment (possibly percent-encoded); send the path with dot segments removed.\"}";

  private final Handler<HttpServerRequest> next;

  private DotSegments(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  /** {@code next} (the router) for every request whose raw path has no dot segment; 400 for the others. */
  public static Handler<HttpServerRequest> refusedBefore(Handler<HttpServerRequest> next) {
    return new DotSegments(next);
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path == null || !present(path)) {
      next.handle(request);
      return;
    }
    if (!request.isEnded()) {
      request.resume(); // discard an unread body; the connection stays usable after the 400
    }
    request.response()
        .setStatusCode(400)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(REFUSAL);
  }

  /**
   * True if {@code path} has a segment that is one or two dots, each either {@code .} or
   * {@code %2e} in any case. A segment starts at the beginning and after every {@code /};
   * {@code ...}, {@code .a} and {@code a.} are ordinary segments.
   */
  public static boolean present(String path) {
    // A dot segment starts with '.' or '%' at the start or after a '/': most paths have neither
    // (the JIT's vectorized indexOf is several times faster than the scan below).
    if (!path.startsWith(".") && path.indexOf("/.") < 0 && path.indexOf('%') < 0) {
      return false;
    }
    int n = path.length();
    int i = 0;
    while (i <= n) {
      int dots = 0;
      int j = i;
      while (j < n) {
        char c = path.charAt(j);
        if (c == '/') {
          break;
        }
        if (c == '.') {
          j++;
        } else if (c == '%' && j + 2 < n && path.charAt(j + 1) == '2' && (path.charAt(j + 2) | 0x20) == 'e') {
          j += 3;
        } else {
          dots = 3; // not all dots: an ordinary segment
          j++;
          continue;
        }
        if (dots < 3) {
          dots++;
        }
      }
      if (dots == 1 || dots == 2) {
        return true;
      }
      i = j + 1;
    }
    return false;
  }
}
