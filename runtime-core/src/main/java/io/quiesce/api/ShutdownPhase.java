package io.quiesce.api;

/**
 * The phases of a shutdown, in the order they run. Every phase is bounded by what is left of
 * {@code server.shutdown_timeout}; a task still running when its phase's time is up is cut and
 * named in the {@link ShutdownReport}, and the sequence goes on. Tasks are added with
 * {@code QuiesceRuntime#onShutdown}.
 */
public enum ShutdownPhase {

  /** State DRAINING: readiness answers 503, responses ask clients to close, long waits are told to finish. */
  READINESS_DOWN(false),
  /** Still serving for {@code server.drain_delay}, so load balancers notice readiness before anything is refused. */
  DRAIN_DELAY(false),
  /** New work is refused with 503 and the listening sockets are closed: new connects are refused by the kernel. */
  UNBIND(false),
  /** In-flight requests finish and connections close, within {@code server.drain_timeout}; {@code on_drain} hooks run. */
  DRAIN_REQUESTS(false),
  /** State STOPPING: work that needs the services but no requests (save state, flush), one task after another. */
  BEFORE_STOP(true),
  /** Managed services stop in reverse start order, each within {@code server.stop_timeout}. */
  STOP_SERVICES(true);

  private final boolean sequential;

  ShutdownPhase(boolean sequential) {
    this.sequential = sequential;
  }

  /** True if the phase's tasks run one after another, in the order added; otherwise they run together. */
  public boolean sequential() {
    return sequential;
  }

  /** The name used in logs and reports: {@code drain_requests}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
