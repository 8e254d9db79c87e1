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
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every hook of every event, resolved and checked at startup, so that a missing or non-executable
 * hook is a configuration error (exit code 2) and not a surprise at shutdown.
 *
 * <p>Per event, the commands of {@code hooks.<event>} run first, in the order listed, then the
 * files of {@code <hooks.dir>/<event>.d/} in name order (names starting with "." are skipped).
 * Hook folders are opt-in: with {@code hooks.dir} left at {@code none} no folder is looked at, so
 * starting in a directory someone else can write to never runs their scripts. Whatever runs as a
 * hook — the folders, their files, a configured executable — must not be writable by group or
 * other users: anyone who could change it could run code as the emulator's user.
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
    String dirSetting = config.get(RuntimeKeys.HOOKS_DIR);
    ConfigOrigin dirOrigin = config.origin(RuntimeKeys.HOOKS_DIR);
    Path dir = dirSetting.equals(RuntimeKeys.NO_HOOKS_DIR) ? null : Path.of(dirSetting);
    if (dir != null && !Files.isDirectory(dir)) {
      problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin, "no such directory"));
      dir = null;
    } else if (dir != null) {
      writableByOthers(dir).ifPresent(why -> problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin, why)));
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
        if (problem == null) {
          problem = writableByOthers(Path.of(argv.get(0))).orElse(null);
        }
        if (problem != null) {
          problems.add(problem(event.key().path(), line, origin, "item " + (i + 1) + ": " + problem));
        } else {
          commands.add(new HookCommand(argv, source));
        }
      }
      Path folder = dir == null ? null : dir.resolve(event.word() + ".d");
      if (folder != null && Files.isDirectory(folder)) {
        Optional<String> folderProblem = writableByOthers(folder);
        folderProblem.ifPresent(why -> problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin, why)));
        try (Stream<Path> files = Files.list(folder)) {
          for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList()) {
            if (!Files.isRegularFile(file)) {
              continue;
            }
            Optional<String> fileProblem = writableByOthers(file);
            if (!Files.isExecutable(file)) {
              problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin,
                  file + " is not executable (chmod +x it, or remove it)"));
            } else if (fileProblem.isPresent()) {
              problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin, fileProblem.get()));
            } else if (folderProblem.isEmpty()) {
              commands.add(new HookCommand(List.of(file.toAbsolutePath().toString()), file.toString()));
            }
          }
        } catch (IOException e) {
          problems.add(problem(RuntimeKeys.HOOKS_DIR.path(), dirSetting, dirOrigin, "cannot list " + folder + ": " + e));
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

  /**
   * Why {@code path} must not be trusted as a hook or hook folder — group or other users may write
   * to it — or empty. A file system without POSIX permissions has nothing to check.
   */
  private static Optional<String> writableByOthers(Path path) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
        return Optional.of(path + " is writable by " + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "other users" : "its group")
            + ", so anyone there could make the emulator run their code; refusing it (chmod go-w " + path + ")");
      }
      return Optional.empty();
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot read the permissions of " + path + ": " + e);
    }
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
