package io.quiesce.logging;

import org.apache.logging.log4j.spi.Provider;

/**
 * The runtime's log4j provider, named by {@code log4j.provider} in the runtime's
 * {@code log4j2.component.properties}: its {@link TextLoggerContextFactory} writes the default text
 * format without starting log4j-core. {@code -Dlog4j.provider=org.apache.logging.log4j.core.impl.Log4jProvider}
 * chooses log4j-core's own provider instead (the text format is then {@link TextLogConfiguration}).
 */
public final class TextLogProvider extends Provider {

  /** Made by log4j's {@code LogManager}. */
  public TextLogProvider() {
    super(15, "2.6.0", TextLoggerContextFactory.class);
  }
}
