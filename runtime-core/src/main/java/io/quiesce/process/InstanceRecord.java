package io.quiesce.process;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code start} learnt about the instance it launched: its PID, who that process is (its start
 * time and command line, as the operating system reports them), when it was launched and, once
 * ready, the URL it listens on (the real port, also when configured as 0).
 *
 * <p>A PID alone does not name a process for long: after a crash the number is free and the system
 * may give it to any other process. {@code stop} and {@code status} therefore act on a live PID
 * only if {@link #mismatch} finds nothing: the process holding it now is the one that was launched.
 *
 * @param processStart when the operating system started the process; null if it does not say
 * @param command the process's command line; null if the operating system does not say
 * @param url where it answers HTTP; null until it is ready
 */
public record InstanceRecord(long pid, Instant processStart, String command, String url, Instant startedAt) {

  /** The process {@code start} has just launched, not yet ready. */
  public static InstanceRecord launched(ProcessHandle process, Instant now) {
    ProcessHandle.Info info = process.info();
    return new InstanceRecord(process.pid(), info.startInstant().orElse(null),
        info.commandLine().or(info::command).orElse(null), null, now);
  }

  /** This record, once the instance answers at {@code url}. */
  public InstanceRecord ready(String url) {
    return new InstanceRecord(pid, processStart, command, url, startedAt);
  }

  /**
   * Why {@code process} is not this instance, or empty if it is: the same PID, and the same start
   * time (or, where the system gives no start time, the same command line). A record that can
   * tell neither never vouches for a process.
   */
  public Optional<String> mismatch(ProcessHandle process) {
    if (process.pid() != pid) {
      return Optional.of("the instance record names PID " + pid);
    }
    ProcessHandle.Info info = process.info();
    Optional<Instant> start = info.startInstant();
    if (processStart != null && start.isPresent()) {
      return start.get().equals(processStart) ? Optional.empty()
          : Optional.of("it started at " + start.get() + ", the instance at " + processStart);
    }
    Optional<String> line = info.commandLine().or(info::command);
    if (command != null && line.isPresent()) {
      return line.get().equals(command) ? Optional.empty() : Optional.of("its command is not the instance's");
    }
    return Optional.of("nothing recorded tells it apart from another process");
  }

  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject().put("pid", pid)
        .put("process_start", processStart == null ? null : processStart.toString())
        .put("command", command)
        .put("url", url)
        .put("started_at", startedAt.toString());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.encode() + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The record in {@code file}, if it exists and can be read. */
  public static Optional<InstanceRecord> read(Path file) {
    try {
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      String processStart = json.getString("process_start");
      return Optional.of(new InstanceRecord(json.getLong("pid"),
          processStart == null ? null : Instant.parse(processStart), json.getString("command"), json.getString("url"),
          Instant.parse(Objects.requireNonNull(json.getString("started_at")))));
    } catch (IOException | DecodeException | ClassCastException | NullPointerException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
