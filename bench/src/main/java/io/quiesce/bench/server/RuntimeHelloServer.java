package io.quiesce.bench.server;

import io.quiesce.api.QuiesceApplication;

/**
 * The same {@code GET /hello} route behind the whole runtime: request tracker, health routes,
 * lifecycle, connection drain guard, signals. Takes the runtime's usual arguments
 * ({@code --set server.port=N}).
 */
public final class RuntimeHelloServer {

  private RuntimeHelloServer() {}

  public static void main(String[] args) {
    System.exit(QuiesceApplication.builder("bench-hello").version("bench")
        .setup(rt -> Hello.mount(rt.router()))
        .build()
        .run(args));
  }
}
