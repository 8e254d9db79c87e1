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

  private final transient TextLoggerContext context;
  private final transient Level fixedLevel;
  private transient volatile ExtendedLogger core;

  TextLogger(TextLoggerContext context, String name, MessageFactory messageFactory) {
    super(name, messageFactory);
    this.context = context;
    this.fixedLevel = TextLine.fixedLevel(name);
  }

  @Override
  public Level getLevel() {
    ExtendedLogger handedOver = core();
    if (handedOver != null) {
      return handedOver.getLevel();
    }
    return fixedLevel != null ? fixedLevel : context.rootLevel();
  }

  /** log4j-core's logger once the context has handed over, else null. */
  private ExtendedLogger core() {
    ExtendedLogger logger = core;
    if (logger == null) {
      org.apache.logging.log4j.spi.LoggerContext coreContext = context.core();
      if (coreContext != null) {
        logger = coreContext.getLogger(getName(), getMessageFactory());
        core = logger;
      }
    }
    return logger;
  }

  private boolean enabled(Level level, Marker marker) {
    ExtendedLogger handedOver = core();
    if (handedOver != null) {
      return handedOver.isEnabled(level, marker);
    }
    return level.intLevel() <= (fixedLevel != null ? fixedLevel : context.rootLevel()).intLevel();
  }

  @Override
  public void logMessage(String fqcn, Level level, Marker marker, Message message, Throwable thrown) {
    ExtendedLogger handedOver = core();
    if (handedOver != null) {
      handedOver.logMessage(fqcn, level, marker, message, thrown);
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
