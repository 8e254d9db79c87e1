package io.quiesce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads: usage mistakes worded plainly, help laid out for an 80-column terminal. */
class CommandLineHelpTest {

  private static final int WIDTH = 80;

  @TempDir
  Path dir;

  private Cli cli;

  @AfterEach
  void close() {
    cli.close();
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsThereAre() {
    cli = new Cli(dir);

    Cli.Result unknown = cli.run("frobnicate");
    Cli.Result typo = cli.run("stauts");

    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("unknown command 'frobnicate'; commands: run, start, stop, restart, status, logs\n")
        .doesNotContain("Unmatched argument");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown command 'stauts' (did you mean 'status'?); commands: run, start,");
  }

  @Test
  void anExtraArgumentToACommandIsNamedWithTheCommand() {
    cli = new Cli(dir);

    Cli.Result extra = cli.run("status", "now");

    assertThat(extra.exit()).isEqualTo(2);
    assertThat(extra.err()).startsWith("'status' takes no arguments, got 'now'").doesNotContain("Unmatched argument");
  }

  @Test
  void helpFitsEightyColumnsAndBreaksLinesOnlyWhereTheNextWordWouldNotFit() {
    cli = new Cli(dir);
    for (String command : List.of("", "run", "start", "stop", "restart", "status", "logs")) {
      String help = (command.isEmpty() ? cli.run("--help") : cli.run(command, "--help")).out();
      List<String> lines = help.lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        assertThat(line.length()).as("'%s --help' line %d: %s", command, i + 1, line).isLessThanOrEqualTo(WIDTH);
        if (i + 1 < lines.size() && continues(line, lines.get(i + 1))) {
          String next = lines.get(i + 1).strip();
          String firstWord = next.split(" ", 2)[0];
          assertThat(line.stripTrailing().length() + 1 + firstWord.length())
              .as("'%s --help' breaks line %d early, before \"%s\":%n%s%n%s", command, i + 1, firstWord, line, lines.get(i + 1))
              .isGreaterThanOrEqualTo(WIDTH); // picocli leaves the last column empty
        }
      }
    }
  }

  /**
   * Whether {@code next} goes on with the sentence of {@code line}: prose at the margin (the
   * description and footer) followed by more prose at the same margin, the previous line not
   * ending a sentence or a list item.
   */
  private static boolean continues(String line, String next) {
    if (line.isBlank() || next.isBlank() || line.startsWith(" ") || next.startsWith(" ") || line.startsWith("Usage:")) {
      return false;
    }
    String end = line.stripTrailing();
    return !(end.endsWith(".") || end.endsWith(":") || end.endsWith(";"));
  }

  @Test
  void helpListsEveryCommand() {
    cli = new Cli(dir);
    List<String> words = new ArrayList<>(List.of("run", "start", "stop", "restart", "status", "logs", "--config", "--set",
        "--print-config"));
    assertThat(cli.run("--help").out()).contains(words);
  }
}
