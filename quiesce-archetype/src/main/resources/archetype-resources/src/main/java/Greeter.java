package ${package};

import io.quiesce.api.ManagedService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Greets and counts. With a data directory the count survives a restart: read at start, written
 * at stop (after the drain, so every greeting that was answered is counted). File work runs on a
 * worker thread, never on an event loop.
 */
final class Greeter implements ManagedService {

  static final String COUNT_FILE = "greetings.count";

  private final Vertx vertx;
  private final Optional<Path> file;
  private final AtomicLong count = new AtomicLong();

  Greeter(Vertx vertx, String dataDir) {
    this.vertx = vertx;
    this.file = dataDir.equals("none") ? Optional.empty() : Optional.of(Path.of(dataDir).resolve(COUNT_FILE));
  }

  @Override
  public String name() {
    return "greeter";
  }

  @Override
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      if (file.isPresent() && Files.exists(file.get())) {
        count.set(Long.parseLong(Files.readString(file.get(), StandardCharsets.US_ASCII).strip()));
      }
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    return vertx.executeBlocking(() -> {
      if (file.isPresent()) {
        Files.createDirectories(file.get().getParent());
        Files.writeString(file.get(), Long.toString(count.get()), StandardCharsets.US_ASCII);
      }
      return null;
    });
  }

  JsonObject greet(String name) {
    return new JsonObject().put("greeting", "hello, " + name).put("count", count.incrementAndGet());
  }
}
