package io.quiesce.test;

/** The POSIX signals a test sends to an {@link EmulatorProcess}, as {@code kill -NAME} spells them. */
public enum Signal {
  /** Graceful shutdown, as {@code docker stop} and Kubernetes send it. */
  TERM,
  /** Graceful shutdown, as Ctrl-C sends it. */
  INT,
  /** Reload the configuration. */
  HUP,
  /** No shutdown at all: for crash and durability tests. */
  KILL
}
