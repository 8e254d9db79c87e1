package io.quiesce.process;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code start} learnt about the instance it launched: its PID and the URL it listens on
 * (the real port, also when configured as 0). {@code status} asks that URL for {@code /health}.
 */
public record InstanceRecord(long pid, String url, Instant startedAt) {

  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject().put("pid", pid).put("url", url).put("started_at", startedAt.toString());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.encode() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in {@code file} if it exists, is readable and describes {@code pid}. */
  public static Optional<InstanceRecord> readFor(Path file, long pid) {
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      InstanceRecord r = new InstanceRecord(json.getLong("pid", -1L), json.getString("url"),
          Instant.parse(json.getString("started_at")));
      return r.pid() == pid && r.url() != null ? Optional.of(r) : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | DecodeException | ClassCastException | NullPointerException
        | java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
