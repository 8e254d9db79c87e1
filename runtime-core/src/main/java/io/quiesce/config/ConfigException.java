package io.quiesce.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration could not be loaded. Carries every problem found, not just the first, so the
 * user can fix them all in one go; {@link #getMessage()} lists them one per line.
 */
public class ConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems in the order found: layer by layer, in rising precedence. Never empty. */
  public List<ConfigProblem> problems() {
    return problems;
  }
}
