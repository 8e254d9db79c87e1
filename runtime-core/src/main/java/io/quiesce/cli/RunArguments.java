package io.quiesce.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The arguments of a plain {@code run}, read without picocli: {@code [run] (--set KEY=VALUE |
 * --config PATH)...}, also as {@code --set=KEY=VALUE} and {@code --config=PATH}. picocli's classes
 * are compiled for Java 5, which the JVM's class data sharing and AOT cache cannot keep, so building
 * its command model costs a noticeable share of the start-up time an emulator in a test suite pays
 * on every start. Anything else (help, another command, {@code --print-config}, an argument file, a
 * value that looks like an option or a command) returns empty and goes to picocli, so every usage
 * error is still picocli's, worded as before.
 */
final class RunArguments {

  private RunArguments() {}

  /**
   * The options of {@code args} if they are a plain {@code run} that picocli would read the same
   * way, else empty.
   *
   * @param isCommand whether a word is a command name (picocli does not take one as an option's
   *     value); asked only for values without {@code =}, since no command name has one: finding the
   *     names means reading the tools' annotations, which a plain start should not pay for
   */
  static Optional<LaunchOptions> parse(String[] args, Predicate<String> isCommand) {
    LaunchOptions options = new LaunchOptions();
    int i = args.length > 0 && args[0].equals("run") ? 1 : 0;
    while (i < args.length) {
      String arg = args[i];
      String option = arg;
      String value;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        option = arg.substring(0, equals);
        value = arg.substring(equals + 1);
        i += 1;
      } else if (i + 1 < args.length) {
        value = args[i + 1];
        i += 2;
      } else {
        return Optional.empty();
      }
      if (value.isEmpty() || value.startsWith("-") || value.startsWith("@") || (value.indexOf('=') < 0 && isCommand.test(value))) {
        return Optional.empty();
      }
      switch (option) {
        case "--set" -> options.overrides.add(value);
        case "--config" -> {
          if (options.config != null) {
            return Optional.empty(); // picocli refuses the second one
          }
          try {
            options.config = Path.of(value);
          } catch (InvalidPathException e) {
            return Optional.empty();
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(options);
  }
}
