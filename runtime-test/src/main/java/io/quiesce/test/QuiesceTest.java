package io.quiesce.test;

import io.vertx.junit5.VertxExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test of an emulator, as {@code @SpringBootTest} or {@code @QuarkusTest} are of an application:
 * the kit starts the emulator and hands it to the test. Declare what you need as a test method
 * parameter, or as a field annotated {@link Emulator}:
 *
 * <ul>
 *   <li>{@link java.net.URI} (its base URI), {@link io.quiesce.api.QuiesceRuntime} or
 *       {@link InProcessEmulator}: the emulator in this JVM, one per test class (or per test with
 *       {@link #perTest()}), on a free port, with a fresh data directory;
 *   <li>{@link EmulatorProcess} (parameters only): a child JVM of its own for that test method,
 *       ready, with a fresh data directory — for signals, exit codes and the log.
 * </ul>
 *
 * Each is stopped after its scope (in-process gracefully; a child process still running is killed)
 * and the data directory deleted. {@code VertxTestContext} parameters work too (vertx-junit5).
 *
 * <pre>{@code
 * @QuiesceTest(value = MyEmulator.class, dataDirKey = "emulator.data_dir")
 * class MyEmulatorTest {
 *   @Test
 *   void answers(URI base) throws Exception { ... }
 *
 *   @Test
 *   void losesNothingAtSigterm(EmulatorProcess process) throws Exception {
 *     DrainProbe.to(process).requests(ProbeRequest.get("/items/1")).sigterm().assertNothingLost();
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith({VertxExtension.class, QuiesceExtension.class})
public @interface QuiesceTest {

  /** The emulator: a class with {@code public static QuiesceApplication application()} and a {@code main}. */
  Class<?> value();

  /** {@code key=value} settings, as {@code --set} on the command line (later ones win). */
  String[] set() default {};

  /** The emulator's configuration key for its data directory, if it has one: it gets the fresh directory. */
  String dataDirKey() default "";

  /** A fresh in-process emulator for every test method instead of one for the class. */
  boolean perTest() default false;
}
