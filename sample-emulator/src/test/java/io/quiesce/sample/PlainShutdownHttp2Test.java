package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.test.EmulatorLauncher;
import io.quiesce.test.EmulatorProcess;
import io.quiesce.test.probe.Http2Load.Result;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The control for {@link Http2DrainUnderLoadTest}: the same HTTP/2 load and SIGTERM against a plain
 * Vert.x server whose shutdown hook only calls {@code HttpServer.shutdown} — with no grace
 * (what {@code HttpServer.close()} does, and what a verticle's {@code stop} gets) it cuts the slow
 * streams in flight, and the drain test's client sees them lost, so its zero means something.
 * With a long grace Vert.x 5.1.1 loses none in this load but drains with one GOAWAY: streams the
 * client sent while it travelled are left unprocessed (above its last-stream-id) for the client to
 * retry, which the drain test checks never happens with the runtime's two-phase GOAWAY.
 */
class PlainShutdownHttp2Test {

  @Test
  void vertxShutdownAloneLosesStreamsUnderTheSameLoad() throws Exception {
    try (EmulatorProcess server = EmulatorLauncher.of(PlainServer.class).startProcess()) {
      int port = server.awaitReady(Duration.ofSeconds(60));
      Http2DrainUnderLoadTest.Run run = Http2DrainUnderLoadTest.Run.signalUnderLoad(server, port, false);
      assertThat(Http2DrainUnderLoadTest.count(run.results(), Result::lost)).as(run.report()).isPositive();
      assertThat(run.oneGoaway()).as(run.report()).isPositive();
    }
  }

  /** h2c on 127.0.0.1, {@code /_demo/slow?ms=N} answered after N ms; SIGTERM: {@code shutdown(ZERO)}. */
  public static final class PlainServer {
    public static void main(String[] args) {
      Vertx vertx = Vertx.vertx();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
          .setHttp2ClearTextEnabled(true)).requestHandler(request -> {
            String ms = request.getParam("ms", "0");
            vertx.setTimer(Math.max(1, Long.parseLong(ms)), t -> request.response().end("ok"));
          });
      int port = server.listen().await().actualPort();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.shutdown(Duration.ZERO).await();
        vertx.close().await();
        System.out.println("Shutdown complete");
      }));
      System.out.println("Ready. plain Vert.x listening on http://127.0.0.1:" + port);
    }
  }
}
