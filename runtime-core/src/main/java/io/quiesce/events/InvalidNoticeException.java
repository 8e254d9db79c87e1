package io.quiesce.events;

import java.util.List;

/** A group restart notice that cannot be acted on; {@link #problems()} names each bad field. */
public final class InvalidNoticeException extends Exception {

  private final List<String> problems;

  public InvalidNoticeException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
