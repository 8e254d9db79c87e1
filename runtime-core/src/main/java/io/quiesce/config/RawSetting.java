package io.quiesce.config;

import io.vertx.core.json.JsonArray;

/** A value as one layer supplied it, before it is checked against the schema. */
record RawSetting(String path, Object value, ConfigOrigin origin) {

  /** The value as shown in problems: text as written, YAML lists as {@code [1,2]}. */
  String valueText() {
    if (value instanceof JsonArray list) {
      return list.encode();
    }
    return value == null ? null : value.toString();
  }
}
