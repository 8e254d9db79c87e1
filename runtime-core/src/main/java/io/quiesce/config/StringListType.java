package io.quiesce.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of non-blank strings. In YAML a list ({@code [a, b]} or one {@code - item} per line);
 * in the environment and {@code --set} one string, items separated by commas ({@code a,b});
 * {@code []} or an empty string is the empty list. Items are stripped and may not contain a comma,
 * so that every list can be written both ways and reads back the same.
 */
final class StringListType implements ValueType<List<String>> {

  @Override
  @SuppressWarnings("unchecked")
  public Class<List<String>> javaType() {
    return (Class<List<String>>) (Class<?>) List.class;
  }

  @Override
  public String expectation() {
    return "a list of non-blank strings without commas (YAML list, or comma-separated)";
  }

  @Override
  public boolean acceptsLists() {
    return true;
  }

  @Override
  public List<String> parse(Object raw) throws InvalidValueException {
    List<?> items;
    if (raw instanceof JsonArray array) {
      items = array.getList();
    } else if (raw instanceof List<?> list) {
      items = list;
    } else if (raw instanceof String text) {
      String stripped = text.strip();
      if (stripped.isEmpty() || stripped.equals("[]")) {
        return List.of();
      }
      items = List.of(stripped.split(",", -1));
    } else {
      throw InvalidValueException.expected(expectation());
    }
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String s) || s.isBlank()) {
        throw new InvalidValueException("item " + (i + 1) + " is " + (item instanceof String ? "blank" : "not a string")
            + "; expected " + expectation());
      }
      if (s.contains(",")) {
        throw new InvalidValueException("item " + (i + 1) + " contains a comma; expected " + expectation());
      }
      out.add(s.strip());
    }
    return List.copyOf(out);
  }

  @Override
  public String format(List<String> value) {
    return value.isEmpty() ? "[]" : String.join(",", value);
  }
}
