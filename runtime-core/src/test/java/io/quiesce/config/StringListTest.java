package io.quiesce.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** List-valued keys: a YAML list, or one comma-separated string from env and --set. */
@ExtendWith(VertxExtension.class)
class StringListTest {

  private static final ConfigKey<List<String>> LIST = ConfigKey.stringList("app.commands", List.of(), "commands");
  private static final ConfigSchema SCHEMA = ConfigSchema.of(LIST, ConfigKey.integer("app.port", 1, 0, 9, "port"));

  @TempDir
  Path dir;

  private ConfigLoading loading(Vertx vertx) {
    return ConfigLoading.with(vertx).schema(SCHEMA);
  }

  @Test
  void aYamlListInFlowOrBlockStyle(Vertx vertx) throws Exception {
    Path flow = ConfigLoading.yaml(dir, "flow.yaml", "app:\n  commands: [./a.sh, ' ./b.sh --x ']\n");
    Path block = ConfigLoading.yaml(dir, "block.yaml", "app:\n  commands:\n    - ./a.sh\n    - ./b.sh --x\n");

    assertThat(loading(vertx).file(flow).load().get(LIST)).containsExactly("./a.sh", "./b.sh --x");
    assertThat(loading(vertx).file(block).load().get(LIST)).containsExactly("./a.sh", "./b.sh --x");
  }

  @Test
  void envAndSetAreCommaSeparated(Vertx vertx) throws Exception {
    assertThat(loading(vertx).env("QUIESCE_APP_COMMANDS", "./a.sh, ./b.sh --x").load().get(LIST))
        .containsExactly("./a.sh", "./b.sh --x");
    assertThat(loading(vertx).set("app.commands=./c.sh").load().get(LIST)).containsExactly("./c.sh");
  }

  @Test
  void emptyBracketsAndAnEmptyStringAreTheEmptyList(Vertx vertx) throws Exception {
    Path file = ConfigLoading.yaml(dir, "empty.yaml", "app:\n  commands: []\n");

    assertThat(loading(vertx).file(file).load().get(LIST)).isEmpty();
    assertThat(loading(vertx).set("app.commands=[]").load().get(LIST)).isEmpty();
    assertThat(loading(vertx).env("QUIESCE_APP_COMMANDS", "").load().get(LIST)).isEmpty();
  }

  @Test
  void aLaterLayerReplacesTheWholeList(Vertx vertx) throws Exception {
    Path file = ConfigLoading.yaml(dir, "x.yaml", "app:\n  commands: [./a.sh, ./b.sh]\n");

    assertThat(loading(vertx).file(file).set("app.commands=./c.sh").load().get(LIST)).containsExactly("./c.sh");
  }

  @Test
  void badItemsAreNamedByPosition(Vertx vertx) throws Exception {
    Path numbers = ConfigLoading.yaml(dir, "n.yaml", "app:\n  commands: [./a.sh, 2]\n");
    Path comma = ConfigLoading.yaml(dir, "c.yaml", "app:\n  commands: ['./a.sh x,y']\n");

    assertThat(loading(vertx).file(numbers).problems()).singleElement().asString()
        .isEqualTo("app.commands = \"[\"./a.sh\",2]\" (file " + numbers + "): item 2 is not a string; expected a list of "
            + "non-blank strings without commas (YAML list, or comma-separated)");
    assertThat(loading(vertx).file(comma).problems()).singleElement().asString().contains("item 1 contains a comma");
    assertThat(loading(vertx).set("app.commands=./a.sh,,./b.sh").problems()).singleElement().asString()
        .contains("item 2 is blank");
  }

  @Test
  void aScalarKeyStillRefusesAList(Vertx vertx) throws Exception {
    Path file = ConfigLoading.yaml(dir, "x.yaml", "app:\n  port: [1, 2]\n");

    assertThat(loading(vertx).file(file).problems()).singleElement().asString().endsWith("not a list");
  }

  @Test
  void formatReadsBack(Vertx vertx) throws Exception {
    assertThat(LIST.format(List.of())).isEqualTo("[]");
    assertThat(LIST.format(List.of("./a.sh", "./b.sh --x"))).isEqualTo("./a.sh,./b.sh --x");
    assertThat(loading(vertx).set("app.commands=" + LIST.format(List.of("./a.sh", "./b.sh --x"))).load().get(LIST))
        .containsExactly("./a.sh", "./b.sh --x");
  }
}
