/**
 * The test kit for emulator authors: {@link io.quiesce.test.QuiesceTest} starts an emulator for a
 * JUnit 5 test, in this JVM (fast, with the runtime at hand) or as a child JVM (for signals, exit
 * codes and log lines, which only a real process has), both on a free port with a fresh data
 * directory; {@link io.quiesce.test.EmulatorLauncher} does the same without the annotation. The
 * drain probe is in {@link io.quiesce.test.probe}.
 */
package io.quiesce.test;
