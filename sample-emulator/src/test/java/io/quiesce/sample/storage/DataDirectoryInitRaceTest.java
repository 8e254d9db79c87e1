package io.quiesce.sample.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two emulators started together on one empty directory: exactly one gets it, the other is told the
 * directory is in use — never that it is "not a data directory of this emulator" because it saw the
 * winner's half-made initialisation.
 */
class DataDirectoryInitRaceTest {

  private static final int ROUNDS = 40;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void twoStartsOnOneEmptyDirectoryGiveOneOwnerAndOneInUse(@TempDir Path parent) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Path dir = Files.createDirectory(parent.resolve("round-" + round));
      Storage a = new Storage(vertx, Optional.of(dir));
      Storage b = new Storage(vertx, Optional.of(dir));
      List<Future<Void>> starts = List.of(a.start(), b.start());
      Future.join(starts).toCompletionStage().toCompletableFuture().exceptionally(e -> null).get(30, TimeUnit.SECONDS);
      long ok = starts.stream().filter(Future::succeeded).count();
      assertThat(ok).as("round %d: starts that got the directory", round).isEqualTo(1);
      Throwable lost = starts.stream().filter(Future::failed).findFirst().orElseThrow().cause();
      assertThat(lost).as("round %d", round).hasMessageContaining("in use by another emulator");
      for (Storage s : List.of(a, b)) {
        s.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      // What the loser left is not a problem for the next start.
      Storage again = new Storage(vertx, Optional.of(dir));
      again.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      again.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
