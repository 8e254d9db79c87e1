package io.quiesce.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the user's manual: it must list every key truly. */
class ReadmeConfigReferenceTest {

  @Test
  void everyKeyHasARowWithItsEnvVarFlagAndDefault() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("..", "README.md")).stream()
        .filter(l -> l.startsWith("| `"))
        .toList();
    // Every key the sample accepts: the runtime's and its own.
    List<ConfigKey<?>> keys = SampleEmulator.application().schema().keys();
    for (ConfigKey<?> key : keys) {
      String row = rows.stream().filter(r -> r.startsWith("| `" + key.path() + "` |")).findFirst().orElse(null);
      assertThat(row).as("README row for %s", key.path()).isNotNull();
      assertThat(row).contains("`" + key.envName() + "`").contains("`--set " + key.path() + "=...`")
          .contains("`" + format(key) + "`");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> String format(ConfigKey<T> key) {
    return key.format(key.defaultValue());
  }
}
