package io.quiesce.process;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that started this JVM, with new application arguments: how {@code start}
 * launches the same emulator, the same way, as a background process. An argument list for
 * {@link ProcessBuilder}: no shell ever parses it.
 */
public final class JavaCommand {

  private JavaCommand() {}

  /**
   * The java executable, this JVM's options, the same jar ({@code -jar}) or class path and main
   * class, then {@code appArgs}. A debugger agent is left out: its port is this process's.
   */
  public static List<String> relaunch(List<String> appArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-agentlib:jdwp")) {
        cmd.add(option);
      }
    }
    String classPath = System.getProperty("java.class.path", "");
    // "main.Class args..." or "path/to/app.jar args..."; a class name has no spaces, a jar path may.
    String launched = System.getProperty("sun.java.command", "");
    if (!classPath.isEmpty() && launched.startsWith(classPath) && classPath.endsWith(".jar")) {
      cmd.add("-jar");
      cmd.add(classPath);
    } else {
      String mainClass = launched.split(" ", 2)[0];
      if (mainClass.isEmpty()) {
        throw new IllegalStateException("cannot tell how this JVM was launched (no sun.java.command)");
      }
      cmd.add("-cp");
      cmd.add(classPath);
      cmd.add(mainClass);
    }
    cmd.addAll(appArgs);
    return cmd;
  }
}
