package io.quiesce.logging;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MessageFactory;
import org.apache.logging.log4j.spi.AbstractLogger;
import org.apache.logging.log4j.spi.ExtendedLogger;

/**
 * A logger of {@link TextLoggerContext}: writes the text format itself, at its fixed level (see
 * {@link TextLine#FIXED_LEVELS}) or the context's root level; once the context has handed over to
 * log4j-core ({@code log.format=json}), passes every call to log4j-core's logger of the same name.
 */
final class TextLogger extends AbstractLogger {

  private static final long serialVersionUID = 1L;

  /** {@link #threshold} once the context has handed over to log4j-core. */
  private static final int ASK_CORE = -1;

  private final transient TextLoggerContext context;
  private final transient Level fixedLevel;
  /**
   * The most verbose level written, as {@link Level#intLevel()}, or {@link #ASK_CORE}: one field
   * read per check, which libraries make on hot paths (vert.x-web asks {@code isTraceEnabled} for
   * every request it routes). Set by {@link #refresh()} whenever the context's state changes.
   */
  private transient volatile int threshold;
  private transient volatile ExtendedLogger core;

  TextLogger(TextLoggerContext context, String name, MessageFactory messageFactory) {
    super(name, messageFactory);
    this.context = context;
    this.fixedLevel = TextLine.fixedLevel(name);
    refresh();
  }

  /** Reads the context's root level, or its hand-over to log4j-core, again. */
  void refresh() {
    org.apache.logging.log4j.core.LoggerContext coreContext = context.core();
    if (coreContext != null) {
      core = coreContext.getLogger(getName(), getMessageFactory());
      threshold = ASK_CORE;
    } else {
      threshold = (fixedLevel != null ? fixedLevel : context.rootLevel()).intLevel();
    }
  }

  @Override
  public Level getLevel() {
    if (threshold == ASK_CORE) {
      return core.getLevel();
    }
    return fixedLevel != null ? fixedLevel : context.rootLevel();
  }

  private boolean enabled(Level level, Marker marker) {
    int written = threshold;
    return written == ASK_CORE ? core.isEnabled(level, marker) : level.intLevel() <= written;
  }

  @Override
  public void logMessage(String fqcn, Level level, Marker marker, Message message, Throwable thrown) {
    if (threshold == ASK_CORE) {
      core.logMessage(fqcn, level, marker, message, thrown);
    } else {
      context.write(level, getName(), message, thrown);
    }
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, Message message, Throwable thrown) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, CharSequence message, Throwable thrown) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, Object message, Throwable thrown) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Throwable thrown) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object... params) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7, Object p8) {
    return enabled(level, marker);
  }

  @Override
  public boolean isEnabled(Level level, Marker marker, String message, Object p0, Object p1, Object p2, Object p3,
      Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
    return enabled(level, marker);
  }
}
