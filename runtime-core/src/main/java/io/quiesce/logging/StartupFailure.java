package io.quiesce.logging;

import java.net.BindException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Says in one line why startup failed when the cause is the machine's, not the program's: a port
 * already taken, a file or directory that cannot be used, or any checked exception a service
 * threw with a message of its own ({@code emulator.data_dir is not a directory}). A stack trace
 * there tells the user nothing more; it is kept for what looks like a bug (a runtime exception or
 * an error), which {@link #oneLine} leaves to the caller.
 */
public final class StartupFailure {

  private StartupFailure() {}

  /**
   * The line for {@code failure}, or empty if its stack trace should be logged.
   *
   * @param host the HTTP host the runtime was to listen on, or null if not known yet
   * @param port the configured port
   */
  public static Optional<String> oneLine(Throwable failure, String host, int port) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException bind) {
        String where = host == null ? "port " + port : host + ":" + port;
        String reason = String.valueOf(bind.getMessage()).toLowerCase(Locale.ROOT);
        String hint = reason.contains("in use")
            ? " (another process listens there: stop it, or choose another server.port, 0 for any free one)"
            : reason.contains("assign") ? " (server.host is not an address of this machine)" : "";
        return Optional.of("cannot listen on " + where + ": " + reason + hint);
      }
      if (t instanceof FileSystemException fs) {
        return Optional.of(describe(fs));
      }
    }
    Throwable cause = unwrap(failure);
    if (!(cause instanceof RuntimeException) && !(cause instanceof Error) && cause.getMessage() != null) {
      return Optional.of(cause.getMessage());
    }
    return Optional.empty();
  }

  private static String describe(FileSystemException e) {
    String file = e.getFile();
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof NotDirectoryException) {
      what = "not a directory";
    } else {
      what = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
    return "cannot use " + (file == null ? "a file" : file)
        + (e.getOtherFile() == null ? "" : " (with " + e.getOtherFile() + ")") + ": " + what;
  }

  // Wrappers that only carry another failure's message: the lifecycle's and the futures'.
  private static Throwable unwrap(Throwable t) {
    Throwable inner = t;
    while (inner.getCause() != null && (inner instanceof CompletionException || inner instanceof ExecutionException
        || inner.getClass().getName().equals("io.quiesce.lifecycle.StartupFailedException"))) {
      inner = inner.getCause();
    }
    return inner;
  }
}
