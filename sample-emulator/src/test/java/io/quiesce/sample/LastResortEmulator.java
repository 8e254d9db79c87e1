package io.quiesce.sample;

import io.quiesce.api.QuiesceApplication;
import io.quiesce.api.ShutdownPhase;
import io.quiesce.api.ShutdownTask;
import io.quiesce.config.ConfigKey;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An emulator built on the public API for the process tests of the runtime's last resorts:
 * {@code GET /exit} calls {@code System.exit(0)} from a thread of its own (as a library might), and
 * a {@code before_stop} task saves state to {@code test.state_file}. With {@code test.stuck=true} a
 * {@code before_stop} task blocks the thread it runs on for good — an event loop, so that the
 * shutdown sequence itself cannot go on and only the watchdog can end the process.
 */
public final class LastResortEmulator {

  static final ConfigKey<String> STATE_FILE = ConfigKey.string("test.state_file", "none", "where before_stop saves state");
  static final ConfigKey<Boolean> STUCK = ConfigKey.bool("test.stuck", false, "a before_stop task that never returns");

  private LastResortEmulator() {}

  public static void main(String[] args) {
    System.exit(QuiesceApplication.builder("last-resort").version("1.0")
        .keys(STATE_FILE, STUCK)
        .setup(rt -> {
          rt.router().get("/exit").handler(ctx -> {
            ctx.response().end("exiting");
            new Thread(() -> System.exit(0), "library-calling-exit").start();
          });
          String stateFile = rt.config().get(STATE_FILE);
          rt.onShutdown(ShutdownPhase.BEFORE_STOP, "save state", ShutdownTask.blocking(rt.vertx(), ctx -> {
            if (!stateFile.equals("none")) {
              try {
                Files.writeString(Path.of(stateFile), "saved: " + ctx.reason());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          }));
          if (rt.config().get(STUCK)) {
            rt.onShutdown(ShutdownPhase.BEFORE_STOP, "stuck", ctx -> {
              try {
                new CountDownLatch(1).await(); // blocking code where it must not block: never returns
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Future.succeededFuture();
            });
          }
        })
        .build()
        .run(args));
  }
}
