package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builds a {@link ConfigRequest} fluently and loads it from the test thread, waiting on the future. */
final class ConfigLoading {

  private final Vertx vertx;
  private ConfigSchema schema = RuntimeKeys.SCHEMA;
  private Path file;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> overrides = new ArrayList<>();
  private final Map<String, Object> applicationDefaults = new LinkedHashMap<>();

  private ConfigLoading(Vertx vertx) {
    this.vertx = vertx;
  }

  static ConfigLoading with(Vertx vertx) {
    return new ConfigLoading(vertx);
  }

  /** Writes {@code content} to {@code dir/name} and returns its path. */
  static Path yaml(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  ConfigLoading schema(ConfigSchema schema) {
    this.schema = schema;
    return this;
  }

  ConfigLoading file(Path file) {
    this.file = file;
    return this;
  }

  ConfigLoading env(String name, String value) {
    env.put(name, value);
    return this;
  }

  ConfigLoading set(String... arguments) {
    overrides.addAll(List.of(arguments));
    return this;
  }

  ConfigLoading applicationDefault(String path, Object value) {
    applicationDefaults.put(path, value);
    return this;
  }

  ConfigRequest request() {
    return new ConfigRequest(Optional.ofNullable(file), env, overrides, applicationDefaults);
  }

  LoadedConfig load() throws Exception {
    return await(ConfigLoader.load(() -> vertx, schema, request()));
  }

  /** Loads expecting failure and returns the problems as the user would read them. */
  List<String> problems() throws Exception {
    return failure().problems().stream().map(ConfigProblem::toString).toList();
  }

  ConfigException failure() throws Exception {
    Throwable failure = failureOf(ConfigLoader.load(() -> vertx, schema, request()));
    assertThat(failure).isInstanceOf(ConfigException.class);
    return (ConfigException) failure;
  }

  static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Throwable failureOf(Future<?> future) throws InterruptedException, TimeoutException {
    try {
      Object result = await(future);
      throw new AssertionError("expected the load to fail, but it gave " + result);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
