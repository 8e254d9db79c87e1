package io.quiesce.http.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.quiesce.api.ShutdownReport;
import io.quiesce.http.testkit.RawConnection;
import io.quiesce.http.testkit.RawResponse;
import io.quiesce.http.testkit.TestEmulator;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/DRAIN.md, loss 4: connects the kernel completed into the listen backlog but the server had
 * not accepted when its listening socket closed. Closing resets them, each with its request
 * perhaps already written; the drain accepts what the backlog holds just before the close, so
 * those clients get an answer.
 */
@Timeout(60)
class ListenBacklogTest {

  private static final int QUEUED = 8;

  private TestEmulator emulator;

  @AfterEach
  void close() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void requestsOnConnectsStillInTheListenBacklogWhenTheListenerClosesAreAnsweredNotReset() throws Exception {
    emulator = TestEmulator.start("server.drain_delay=0s");
    int port = emulator.port();
    Channel listener = emulator.runtime().http().listeningSocket();
    SingleThreadEventExecutor acceptor = (SingleThreadEventExecutor) listener.eventLoop();
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // While the listener's event loop is busy, connects complete in the kernel's backlog, unaccepted.
    acceptor.execute(() -> {
      busy.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    List<RawConnection> queued = new ArrayList<>();
    try {
      assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < QUEUED; i++) {
        queued.add(RawConnection.open(port).sendGet("/ok"));
      }
      Future<ShutdownReport> report = emulator.shutdown();
      // The listener's close waits behind the busy task: the backlog still holds every connect.
      await().atMost(Duration.ofSeconds(10)).until(() -> acceptor.pendingTasks() > 0);
      release.countDown();

      for (RawConnection connection : queued) {
        RawResponse answer = connection.read(); // fails with LostRequest on EOF or reset
        assertThat(answer.status()).isIn(200, 503);
        connection.close();
      }
      assertThat(TestEmulator.await(report).clean()).isTrue();
    } finally {
      release.countDown();
      for (RawConnection connection : queued) {
        connection.close();
      }
    }
  }
}
