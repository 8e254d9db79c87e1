package io.quiesce.config;

import java.util.List;

/** {@code supervision.services}: a string list whose items are {@link SupervisionOverride}s. */
final class SupervisionOverridesType implements ValueType<List<SupervisionOverride>> {

  private final StringListType list = new StringListType();

  @Override
  @SuppressWarnings("unchecked")
  public Class<List<SupervisionOverride>> javaType() {
    return (Class<List<SupervisionOverride>>) (Class<?>) List.class;
  }

  @Override
  public String expectation() {
    return "a list of " + SupervisionOverride.FORM;
  }

  @Override
  public boolean acceptsLists() {
    return true;
  }

  @Override
  public List<SupervisionOverride> parse(Object raw) throws InvalidValueException {
    if (raw instanceof List<?> items && items.stream().allMatch(SupervisionOverride.class::isInstance)) {
      return items.stream().map(SupervisionOverride.class::cast).toList(); // a default given as overrides
    }
    return SupervisionOverride.parseAll(list.parse(raw));
  }

  @Override
  public String format(List<SupervisionOverride> value) {
    return list.format(value.stream().map(SupervisionOverride::format).toList());
  }
}
