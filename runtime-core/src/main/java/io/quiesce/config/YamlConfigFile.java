package io.quiesce.config;

import io.vertx.config.spi.ConfigProcessor;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * What one YAML configuration file supplied: its values flattened to key paths
 * ({@code server: {port: 1}} becomes {@code server.port}), or the problem that stopped it being read.
 */
record YamlConfigFile(List<RawSetting> settings, List<ConfigProblem> problems) {

  /** No file was given. */
  static final YamlConfigFile NONE = new YamlConfigFile(List.of(), List.of());

  // Created directly rather than found through ServiceLoader, so a shaded jar without merged
  // service files still reads YAML.
  private static final ConfigProcessor YAML = new YamlProcessor();

  /** Reads and parses {@code file}. The future always succeeds: failures become problems. */
  static Future<YamlConfigFile> read(Vertx vertx, Path file, ConfigSchema schema) {
    ConfigOrigin origin = ConfigOrigin.file(file.toString());
    // An absolute path stops Vert.x from falling back to a classpath resource of the same name.
    return vertx.fileSystem().readFile(file.toAbsolutePath().toString()).compose(
        bytes -> YAML.process(vertx, new JsonObject(), bytes).compose(
            tree -> Future.succeededFuture(flatten(tree, origin, schema)),
            malformed -> Future.succeededFuture(failed(origin, parseFailure(malformed)))),
        unreadable -> Future.succeededFuture(failed(origin, "cannot read: " + readFailure(unreadable))));
  }

  private static YamlConfigFile failed(ConfigOrigin origin, String reason) {
    return new YamlConfigFile(List.of(), List.of(ConfigProblem.ofSource(origin, reason)));
  }

  private static String readFailure(Throwable failure) {
    // Vert.x wraps the java.nio exception, whose own message is only the path.
    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
    if (cause instanceof NoSuchFileException) {
      return "no such file";
    }
    if (cause instanceof AccessDeniedException) {
      return "permission denied";
    }
    return Objects.requireNonNullElse(cause.getMessage(), cause.toString());
  }

  private static String parseFailure(Throwable failure) {
    if (failure instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark mark = marked.getProblemMark();
      return "malformed YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": "
          + Objects.requireNonNullElse(marked.getProblem(), marked.getMessage());
    }
    if (failure instanceof DecodeException) {
      // YamlProcessor's answer to a document that is a list or a single value.
      return "expected a mapping at the top level, e.g. \"server: {port: 8080}\"";
    }
    return "malformed YAML: " + failure.getMessage();
  }

  private static YamlConfigFile flatten(JsonObject tree, ConfigOrigin origin, ConfigSchema schema) {
    List<RawSetting> settings = new ArrayList<>();
    if (tree != null) { // null: the file holds only comments
      collect("", tree, origin, schema, settings);
    }
    return new YamlConfigFile(settings, List.of());
  }

  private static void collect(String prefix, JsonObject node, ConfigOrigin origin, ConfigSchema schema,
      List<RawSetting> settings) {
    for (Map.Entry<String, Object> entry : node) {
      String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
      Object value = entry.getValue();
      boolean key = schema.find(path).isPresent();
      boolean section = schema.firstKeyIn(path).isPresent();
      if (!key && value instanceof JsonObject children && (section || !children.isEmpty())) {
        // Into unknown sections too, so "servr: {port: 1}" is reported as servr.port and can suggest server.port.
        collect(path, children, origin, schema, settings);
      } else if (!(section && value == null)) { // a section left empty once all its keys are commented out
        settings.add(new RawSetting(path, value, origin));
      }
    }
  }
}
