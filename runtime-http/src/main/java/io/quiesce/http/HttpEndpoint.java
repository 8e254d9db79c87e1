package io.quiesce.http;

import io.quiesce.drain.DrainParticipant;
import io.quiesce.http.drain.ConnectionDrain;
import io.quiesce.lifecycle.ManagedService;
import io.quiesce.time.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The runtime's HTTP server as a lifecycle participant: started first (so health answers while
 * services start), drained by {@link ConnectionDrain} when refusing begins, and closed last.
 */
final class HttpEndpoint implements ManagedService, DrainParticipant {

  private static final Logger LOG = LogManager.getLogger(HttpEndpoint.class);

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final Handler<HttpServerRequest> requests;
  private final ConnectionDrain drain;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile HttpServer server;

  HttpEndpoint(Vertx vertx, String host, int port, Handler<HttpServerRequest> requests, ConnectionDrain drain) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.requests = requests;
    this.drain = drain;
  }

  @Override
  public String name() {
    return "http";
  }

  /** The bound port (useful with port 0); -1 before start. */
  int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  @Override
  public Future<Void> start() {
    // HTTP/1.1 only: h2c upgrades would bypass the connection guard, and emulated cloud APIs
    // are spoken over HTTP/1.1 by their SDKs.
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setHttp2ClearTextEnabled(false);
    HttpServer s = vertx.createHttpServer(options)
        .connectionHandler(drain::install)
        .requestHandler(requests);
    server = s;
    return s.listen().onSuccess(bound -> LOG.info("HTTP listening on {}:{}", host, bound.actualPort())).mapEmpty();
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return drain.drain(deadline, this::close);
  }

  @Override
  public Future<Void> stop() {
    return close();
  }

  private Future<Void> close() {
    HttpServer s = server;
    if (s == null || !closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return s.shutdown(Duration.ZERO);
  }
}
