package io.quiesce.health;

/** What a health component stands for. */
public enum ComponentKind {
  /** A managed service of this runtime; checked and supervised. */
  SERVICE,
  /** Something outside the runtime it calls (a database, another emulator); reported by the caller. */
  DEPENDENCY
}
