package io.quiesce.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Loads a {@link LoadedConfig} from layers of rising precedence: built-in defaults, application
 * defaults, the YAML file, {@code QUIESCE_*} environment variables, {@code --set} overrides.
 *
 * <p>Every value a layer supplies is checked, even one a higher layer overrides, and every problem
 * is collected before giving up, so the user can fix them all in one go.
 */
public final class ConfigLoader {

  private final ConfigSchema schema;
  private final Map<ConfigKey<?>, LoadedConfig.Setting> settings = new LinkedHashMap<>();
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private ConfigLoader(ConfigSchema schema) {
    this.schema = schema;
  }

  /**
   * Loads the configuration {@code request} describes. Never throws: the future fails with a
   * {@link ConfigException} listing all problems found, or with the unexpected exception itself
   * (such as a null argument). Reading the file does not block the calling thread.
   *
   * @param vertx the Vert.x that reads the YAML file, asked for only when the request names one
   *     (creating a Vert.x costs start-up time that the default, file-less start does not need)
   */
  public static Future<LoadedConfig> load(Supplier<Vertx> vertx, ConfigSchema schema, ConfigRequest request) {
    // Starting from a completed future turns any exception into a failed future.
    return Future.<Void>succeededFuture()
        .compose(ignored -> request.file()
            .map(file -> YamlConfigFile.read(vertx.get(), file, schema))
            .orElse(Future.succeededFuture(YamlConfigFile.NONE)))
        .compose(file -> new ConfigLoader(schema).resolve(request, file));
  }

  private Future<LoadedConfig> resolve(ConfigRequest request, YamlConfigFile file) {
    for (ConfigKey<?> key : schema.keys()) {
      settings.put(key, new LoadedConfig.Setting(key.defaultValue(), ConfigOrigin.builtInDefault()));
    }
    request.applicationDefaults().forEach((path, value) -> offer(new RawSetting(path, value, ConfigOrigin.applicationDefault())));
    problems.addAll(file.problems());
    file.settings().forEach(this::offer);
    readEnvironment(request.env());
    readOverrides(request.overrides());
    return problems.isEmpty()
        ? Future.succeededFuture(new LoadedConfig(schema, settings, warnings))
        : Future.failedFuture(new ConfigException(problems));
  }

  /** Known variables are found by computing each key's name: keys contain underscores, so names cannot be split. */
  private void readEnvironment(Map<String, String> env) {
    Set<String> known = new LinkedHashSet<>();
    for (ConfigKey<?> key : schema.keys()) {
      known.add(key.envName());
      String value = env.get(key.envName());
      if (value != null) {
        accept(key, new RawSetting(key.path(), value, ConfigOrigin.env(key.envName())));
      }
    }
    // The environment is shared with other tools, so a stray QUIESCE_* variable is only a warning.
    env.keySet().stream()
        .filter(name -> ConfigKey.hasEnvPrefix(name) && !known.contains(name))
        .sorted()
        .forEach(name -> warnings.add(ConfigProblem.unknownVariable(name, EditDistance.closest(name, known)).toString()));
  }

  private void readOverrides(List<String> overrides) {
    for (String argument : overrides) {
      int equals = argument.indexOf('=');
      if (equals < 0 || argument.substring(0, equals).isBlank()) {
        problems.add(ConfigProblem.malformedOverride(argument));
      } else {
        offer(new RawSetting(argument.substring(0, equals).strip(), argument.substring(equals + 1),
            ConfigOrigin.cli(argument)));
      }
    }
  }

  private void offer(RawSetting raw) {
    Optional<ConfigKey<?>> key = schema.find(raw.path());
    if (key.isPresent()) {
      accept(key.get(), raw);
      return;
    }
    Optional<ConfigKey<?>> inSection = schema.firstKeyIn(raw.path());
    if (inSection.isPresent()) {
      problems.add(ConfigProblem.badValue(raw.path(), raw.valueText(), raw.origin(),
          "expected keys under \"" + raw.path() + "\" (such as " + inSection.get().path() + "), not a value"));
    } else {
      problems.add(ConfigProblem.unknownKey(raw.path(), raw.origin(), EditDistance.closest(raw.path(), schema.paths())));
    }
  }

  private void accept(ConfigKey<?> key, RawSetting raw) {
    Object value = raw.value();
    String expected = "expected " + key.expectation();
    if (value == null) {
      problems.add(ConfigProblem.badValue(key.path(), null, raw.origin(), "no value given; " + expected));
    } else if (value instanceof JsonObject || value instanceof Map) {
      problems.add(ConfigProblem.badValue(key.path(), null, raw.origin(), expected + ", not a mapping"));
    } else if ((value instanceof JsonArray || value instanceof List) && !key.acceptsLists()) {
      problems.add(ConfigProblem.badValue(key.path(), null, raw.origin(), expected + ", not a list"));
    } else {
      try {
        settings.put(key, new LoadedConfig.Setting(key.parse(value), raw.origin()));
      } catch (InvalidValueException e) {
        problems.add(ConfigProblem.badValue(key.path(), raw.valueText(), raw.origin(), e.getMessage()));
      }
    }
  }
}
