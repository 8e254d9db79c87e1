package io.quiesce.http;

import static io.quiesce.http.testkit.TestEmulator.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.quiesce.api.QuiesceRuntime;
import io.quiesce.http.testkit.TestEmulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's Vert.x reads files from the file system only, unless Vert.x's own switch asks for
 * class-path resolving back: resolving made a cache directory (and a random UUID) at every start.
 */
@Timeout(60)
class VertxFileSystemTest {

  /** A resource on the test class path (runtime-core's), not a file in the working directory. */
  private static final String CLASS_PATH_RESOURCE = "log4j2.component.properties";

  @AfterEach
  void clearSwitch() {
    System.clearProperty(Launcher.CLASS_PATH_FILES);
  }

  @Test
  void classPathResourcesAreNotFilesByDefault() throws Exception {
    assertThat(existsThroughVertx(CLASS_PATH_RESOURCE)).isFalse();
  }

  @Test
  void vertxsSwitchSetToFalseBringsClassPathResolvingBack() throws Exception {
    System.setProperty(Launcher.CLASS_PATH_FILES, "false");
    assertThat(existsThroughVertx(CLASS_PATH_RESOURCE)).isTrue();
  }

  private static boolean existsThroughVertx(String path) throws Exception {
    QuiesceRuntime rt = await(TestEmulator.application(runtime -> { }).start(TestEmulator.request()));
    try {
      return rt.vertx().fileSystem().existsBlocking(path);
    } finally {
      await(rt.close());
    }
  }
}
