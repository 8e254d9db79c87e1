package io.quiesce.bench.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The baseline: a plain Vert.x Router serving {@code GET /hello} on 127.0.0.1, with the same Vert.x
 * defaults and server options the runtime uses (one server, HTTP/1.1 only), and nothing else.
 * Usage: {@code PlainHelloServer PORT}. Stops on SIGTERM (the JVM's default handling).
 */
public final class PlainHelloServer {

  private PlainHelloServer() {}

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    Hello.mount(router);
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setHttp2ClearTextEnabled(true)) // as the runtime's default
        .requestHandler(router)
        .listen()
        .onSuccess(s -> System.out.println("Plain Vert.x listening on http://127.0.0.1:" + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
