package io.quiesce.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.CloseableThreadContext;

/**
 * Puts an event's fields in the thread context for one log line: the JSON log format shows them
 * as keys, the text format leaves them out. Only on lifecycle and shutdown lines, never per request.
 */
public final class LogFields {

  private LogFields() {}

  /** Alternating keys and values; close the result right after the log call. */
  public static CloseableThreadContext.Instance of(Object... keyValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
    }
    return CloseableThreadContext.putAll(map);
  }
}
