package io.quiesce.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A Vert.x for reading configuration, made only when first asked for: reading a YAML file or TLS
 * key material needs one, the default start (no file, no TLS) does not, and creating one costs a
 * noticeable part of start-up (event loop threads, Netty's transport). Not thread-safe: used by one
 * thread at a time, as configuration is loaded.
 */
public final class OnDemandVertx implements Supplier<Vertx> {

  private Vertx vertx;

  @Override
  public Vertx get() {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  /** Closes the Vert.x if one was made; not waited for (it may be called from that Vert.x's own thread). */
  public Future<Void> close() {
    return vertx == null ? Future.succeededFuture() : vertx.close();
  }
}
