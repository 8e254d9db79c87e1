package io.quiesce.signal;

/**
 * The JVM's process-level controls, behind an interface so that the signal bridge can be tested
 * without signals or exits.
 */
public interface JvmHooks {

  /** Routes a POSIX signal ("TERM", "INT") to {@code handler}; returns false if the JVM refused. */
  boolean onSignal(String signal, Runnable handler);

  void addShutdownHook(Thread hook);

  /** Ends the process at once, without running shutdown hooks. */
  void halt(int status);

  /** The real JVM. */
  JvmHooks SYSTEM = new JvmHooks() {
    @Override
    @SuppressWarnings("sunapi")
    public boolean onSignal(String signal, Runnable handler) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> handler.run());
        return true;
      } catch (IllegalArgumentException e) {
        // The JVM refuses signals it reserves, and signals the process inherited as ignored
        // (SIGINT for a background job of a non-interactive shell).
        return false;
      }
    }

    @Override
    public void addShutdownHook(Thread hook) {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void halt(int status) {
      Runtime.getRuntime().halt(status);
    }
  };
}
