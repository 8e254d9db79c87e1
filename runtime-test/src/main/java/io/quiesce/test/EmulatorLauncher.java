package io.quiesce.test;

import io.quiesce.api.QuiesceApplication;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a test starts an emulator: in this JVM ({@link #startInProcess()}, fast, with the runtime at
 * hand) or as a child JVM ({@link #startProcess(String...)}, for what lives at process level:
 * signals, exit codes, the log). Both on a free port ({@code server.port=0}) with the same settings,
 * so a test can move between the two. {@link QuiesceTest} uses it; tests that need two emulators,
 * a restart over the same data, or a command line call it directly:
 *
 * <pre>{@code
 * try (EmulatorProcess p = EmulatorLauncher.of(MyEmulator.class).set("server.drain_timeout=5s").startProcess()) {
 *   ...
 * }
 * }</pre>
 *
 * The emulator class must have {@code public static QuiesceApplication application()} (for
 * in-process starts) and the {@code main} that runs it (for child processes). A builder: not
 * thread-safe, and each start takes the settings as they are then.
 */
public final class EmulatorLauncher {

  private final Class<?> mainClass;
  private final Supplier<QuiesceApplication> application;
  private final List<String> settings = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>(List.of(
      // Start-up matters more than peak speed in a test, as in the README's run script.
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
      // What the clustered event bus (Hazelcast) asks of the JDK, as the sample jar's manifest
      // grants it: without it a clustered child logs Hazelcast's warning and runs slower.
      "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.management/sun.management=ALL-UNNAMED",
      "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"));
  {
    // As the README's run script: on JDK 24 and 25 Netty (and Hazelcast) may use sun.misc.Unsafe
    // without the JVM's warning, and Netty then skips building its MethodHandle-based cleaner at
    // start-up (about 35 ms). Only those two: a later JDK may not know the option.
    int feature = Runtime.version().feature();
    if (feature == 24 || feature == 25) {
      jvmOptions.add("--sun-misc-unsafe-memory-access=allow");
    }
    // As the run script too: with C1 alone JDK 17 to 24 start two compiler threads even on one or
    // two CPUs, where the second takes the CPU from the start; JDK 25 starts one there by itself.
    if (feature >= 17 && feature <= 24 && Runtime.getRuntime().availableProcessors() <= 2) {
      jvmOptions.add("-XX:CICompilerCount=1");
    }
  }
  private final List<String> wrapper = new ArrayList<>();
  private String dataDirKey;
  private Path dataDir;
  private Path configFile;

  private EmulatorLauncher(Class<?> mainClass, Supplier<QuiesceApplication> application) {
    this.mainClass = mainClass;
    this.application = application;
  }

  /**
   * The emulator whose class has a {@code main} (for child processes) and, to start it in-process,
   * {@code public static QuiesceApplication application()}.
   */
  public static EmulatorLauncher of(Class<?> emulatorClass) {
    return new EmulatorLauncher(emulatorClass, () -> {
      Method factory;
      try {
        factory = emulatorClass.getMethod("application");
      } catch (NoSuchMethodException e) {
        throw new IllegalArgumentException(noFactory(emulatorClass), e);
      }
      if (!Modifier.isStatic(factory.getModifiers()) || !QuiesceApplication.class.isAssignableFrom(factory.getReturnType())) {
        throw new IllegalArgumentException(noFactory(emulatorClass));
      }
      try {
        return (QuiesceApplication) factory.invoke(null);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException(emulatorClass.getName() + ".application() failed", e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * An application assembled by the test itself (e.g. with test doubles for its storage): in-process
   * only, since a child JVM cannot be handed an object.
   */
  public static EmulatorLauncher of(Supplier<QuiesceApplication> application) {
    return new EmulatorLauncher(null, Objects.requireNonNull(application, "application"));
  }

  private static String noFactory(Class<?> c) {
    return c.getName() + " has no public static QuiesceApplication application() method; the test kit starts the"
        + " emulator in-process through it (and a child process through its main)";
  }

  /** {@code --set} values, {@code key=value}; later ones win, also over the kit's {@code server.port=0}. */
  public EmulatorLauncher set(String... keyValues) {
    for (String kv : keyValues) {
      if (kv.indexOf('=') < 1) {
        throw new IllegalArgumentException("expected key=value, got \"" + kv + "\"");
      }
      settings.add(kv);
    }
    return this;
  }

  /** The emulator's own key for its data directory: it gets a fresh empty directory, deleted at close. */
  public EmulatorLauncher dataDir(String key) {
    this.dataDirKey = Objects.requireNonNull(key, "key");
    this.dataDir = null;
    return this;
  }

  /** The same key with a directory the test keeps (and deletes): e.g. a restart over the same data. */
  public EmulatorLauncher dataDir(String key, Path dir) {
    this.dataDirKey = Objects.requireNonNull(key, "key");
    this.dataDir = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /** A YAML configuration file ({@code --config}). */
  public EmulatorLauncher config(Path file) {
    this.configFile = file;
    return this;
  }

  /**
   * An environment variable: the child's environment, or the {@code QUIESCE_*} variables the
   * runtime reads in-process. The test's own {@code QUIESCE_*} variables are never passed on, so a
   * developer's shell cannot change a test.
   */
  public EmulatorLauncher env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** {@link #env(String, String)} for each entry. */
  public EmulatorLauncher env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  /** Child process only: JVM options in place of the kit's (C1 only, serial GC, exit on out-of-memory, the JDK access Hazelcast asks for). */
  public EmulatorLauncher jvmOptions(String... options) {
    jvmOptions.clear();
    jvmOptions.addAll(List.of(options));
    return this;
  }

  /**
   * Child process only: a command the java command line is handed to as arguments, e.g. one that
   * resets an inherited signal disposition before it {@code exec}s them.
   */
  public EmulatorLauncher wrapper(String... command) {
    wrapper.clear();
    wrapper.addAll(List.of(command));
    return this;
  }

  /**
   * Starts the emulator in this JVM and waits until it is ready.
   *
   * @throws IllegalArgumentException if the emulator class has no {@code application()} method
   * @throws Exception the configuration or startup error ({@code ConfigException} for bad settings)
   */
  public InProcessEmulator startInProcess() throws Exception {
    QuiesceApplication app = application.get();
    DataDirectory dir = DataDirectory.of(dataDir);
    try {
      return InProcessEmulator.start(app, configFile, env, withDefaults(dir, "log.level=warn"), dir);
    } catch (Exception | Error e) {
      dir.close();
      throw e;
    }
  }

  /**
   * Starts the emulator's {@code main} as a child JVM on this test's class path, with the
   * settings as {@code --set} and then {@code args} (a command such as {@code start}, or nothing
   * for {@code run}; a {@code --set} among them wins over the launcher's, as the later one does).
   * Returns at once: {@link EmulatorProcess#awaitReady()} waits for the {@code Ready.} line,
   * {@link EmulatorProcess#exitCode()} for the exit.
   */
  public EmulatorProcess startProcess(String... args) throws IOException {
    if (mainClass == null) {
      throw new IllegalStateException("an application given as an object runs in-process only; use EmulatorLauncher.of(MainClass.class)");
    }
    DataDirectory dir = DataDirectory.of(dataDir);
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    // Surefire runs tests from a manifest-only jar; this property holds the real class path.
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(mainClass.getName());
    if (configFile != null) {
      cmd.add("--config");
      cmd.add(configFile.toString());
    }
    for (String kv : withDefaults(dir)) {
      cmd.add("--set");
      cmd.add(kv);
    }
    cmd.addAll(List.of(args)); // last, so that a --set among them wins over the launcher's
    try {
      return EmulatorProcess.start(cmd, env, dir);
    } catch (IOException | RuntimeException e) {
      dir.close();
      throw e;
    }
  }

  private List<String> withDefaults(DataDirectory dir, String... extraDefaults) {
    List<String> all = new ArrayList<>(List.of("server.port=0"));
    all.addAll(List.of(extraDefaults));
    Optional.ofNullable(dataDirKey).ifPresent(key -> all.add(key + "=" + dir.path()));
    all.addAll(settings);
    return all;
  }
}
