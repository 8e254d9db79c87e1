package io.quiesce.hooks;

import io.quiesce.config.ConfigException;
import io.quiesce.config.ConfigOrigin;
import io.quiesce.config.ConfigProblem;
import io.quiesce.config.LoadedConfig;
import io.quiesce.config.RuntimeKeys;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every hook of every event, resolved and checked at startup, so that a missing or non-executable
 * hook is a configuration error (exit code 2) and not a surprise at shutdown.
 *
 * <p>Per event, the commands of {@code hooks.<event>} run first, in the order listed, then the
 * files of {@code <hooks.dir>/<event>.d/} in name order (names starting with "." are skipped).
 * A configured command is split into arguments at white space, with no quoting and no shell: the
 * first word is the executable (a path if it contains "/", relative to the working directory;
 * otherwise looked up on {@code PATH}), the rest its arguments. Immutable.
 */
public final class HookSet {

  private final Map<HookEvent, List<HookCommand>> hooks;

  private HookSet(Map<HookEvent, List<HookCommand>> hooks) {
    this.hooks = hooks;
  }

  /** No hooks at all. */
  public static HookSet none() {
    Map<HookEvent, List<HookCommand>> empty = new EnumMap<>(HookEvent.class);
    for (HookEvent e : HookEvent.values()) {
      empty.put(e, List.of());
    }
    return new HookSet(empty);
  }

  /**
   * Resolves and checks the hooks {@code config} names.
   *
   * @param path the {@code PATH} to look bare command names up in
   * @throws ConfigException listing every missing or non-executable hook, every unreadable folder
   */
  public static HookSet load(LoadedConfig config, String path) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<HookEvent, List<HookCommand>> hooks = new EnumMap<>(HookEvent.class);
    Path dir = Path.of(config.get(RuntimeKeys.HOOKS_DIR));
    ConfigOrigin dirOrigin = config.origin(RuntimeKeys.HOOKS_DIR);
    boolean dirChosen = !dirOrigin.equals(ConfigOrigin.builtInDefault());
    if (dirChosen && !Files.isDirectory(dir)) {
      problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dir.toString(), dirOrigin, "no such directory"));
    }
    for (HookEvent event : HookEvent.values()) {
      List<HookCommand> commands = new ArrayList<>();
      List<String> configured = config.get(event.key());
      ConfigOrigin origin = config.origin(event.key());
      for (int i = 0; i < configured.size(); i++) {
        String line = configured.get(i);
        List<String> argv = new ArrayList<>(Arrays.asList(line.strip().split("\\s+")));
        String source = event.key().path() + "[" + (i + 1) + "]";
        String problem = resolve(argv, path);
        if (problem != null) {
          problems.add(problem(event.key().path(), line, origin, "item " + (i + 1) + ": " + problem));
        } else {
          commands.add(new HookCommand(argv, source));
        }
      }
      Path folder = dir.resolve(event.word() + ".d");
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
            if (!Files.isRegularFile(file)) {
              continue;
            }
            if (!Files.isExecutable(file)) {
              problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dir.toString(), dirOrigin,
                  file + " is not executable (chmod +x it, or remove it)"));
            } else {
              commands.add(new HookCommand(List.of(file.toAbsolutePath().toString()), file.toString()));
            }
          }
        } catch (IOException e) {
          problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dir.toString(), dirOrigin, "cannot list " + folder + ": " + e));
        }
      }
      hooks.put(event, List.copyOf(commands));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new HookSet(hooks);
  }

  /** Resolves argv[0] in place; returns what is wrong with it, or null. */
  private static String resolve(List<String> argv, String pathEnv) {
    String exe = argv.get(0);
    if (exe.contains("/")) {
      Path p = Path.of(exe);
      if (!Files.exists(p)) {
        return exe + ": no such file";
      }
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        return exe + ": not an executable file";
      }
      argv.set(0, p.toAbsolutePath().toString());
      return null;
    }
    for (String d : (pathEnv == null ? "" : pathEnv).split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, exe);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        argv.set(0, p.toString());
        return null;
      }
    }
    return exe + ": not found on PATH (give a path, e.g. ./" + exe + ")";
  }

  private static ConfigProblem problem(String key, String value, ConfigOrigin origin, String reason) {
    return new ConfigProblem(key, value, origin, key + " = \"" + value + "\" (" + origin + "): " + reason);
  }

  /** The hooks of {@code event}, in the order they run. */
  public List<HookCommand> of(HookEvent event) {
    return hooks.get(event);
  }

  /** True if no event has a hook. */
  public boolean isEmpty() {
    return hooks.values().stream().allMatch(List::isEmpty);
  }
}
