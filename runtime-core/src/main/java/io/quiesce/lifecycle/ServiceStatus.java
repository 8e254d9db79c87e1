package io.quiesce.lifecycle;

/** Where one managed service stands, as shown in {@code /health}. */
public enum ServiceStatus {
  NEW,
  STARTING,
  RUNNING,
  STOPPING,
  STOPPED,
  FAILED
}
