package org.medssl.ssl;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The values a pretraining gives its method's options: only those that differ from the option's
 * default are held, so two settings that mean the same are equal. Immutable.
 */
public final class MethodOptions {
  private static final MethodOptions DEFAULTS = new MethodOptions(Map.of());
  private final Map<String, Object> values;

  private MethodOptions(Map<String, Object> values) {
    this.values = Map.copyOf(values);
  }

  /** Every option at its default. */
  public static MethodOptions defaults() {
    return DEFAULTS;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(MethodOption<T> option) {
    Object v = values.get(option.name());
    return v == null ? option.defaultValue() : (T) v;
  }

  /** These options with {@code option} set to {@code value} (checked). */
  public <T> MethodOptions with(MethodOption<T> option, T value) {
    option.check(value);
    Map<String, Object> next = new LinkedHashMap<>(values);
    if (value.equals(option.defaultValue())) {
      next.remove(option.name());
    } else {
      next.put(option.name(), value);
    }
    return new MethodOptions(next);
  }

  /** These options with {@code option} set from the text of a command-line or config value. */
  public <T> MethodOptions withText(MethodOption<T> option, String text) {
    return with(option, option.parse(text));
  }

  /** Whether {@code option} was given a value other than its default. */
  public boolean isSet(MethodOption<?> option) {
    return values.containsKey(option.name());
  }

  /**
   * The fingerprint part of these options for a run of {@code options}' method: every base option
   * as {@code ,key=value}, then each other option whose value is not what the code had before it.
   */
  public String fingerprint(Collection<MethodOption<?>> options) {
    StringBuilder b = new StringBuilder();
    for (MethodOption<?> o : options) {
      if (o.fingerprint() != null && o.fingerprint().base()) {
        b.append(',').append(o.fingerprint().key()).append('=').append(get(o));
      }
    }
    for (MethodOption<?> o : options) {
      if (o.fingerprint() != null && !o.fingerprint().base() && !Objects.equals(get(o), o.fingerprint().before())) {
        b.append(',').append(o.fingerprint().key()).append('=').append(get(o));
      }
    }
    return b.toString();
  }

  /** {@code name=value} for each of {@code options}, for logs and provenance. */
  public String describe(Collection<MethodOption<?>> options) {
    StringJoiner j = new StringJoiner(", ");
    options.forEach(o -> j.add(o.name() + "=" + get(o)));
    return j.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodOptions m && m.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "MethodOptions" + new java.util.TreeMap<>(values);
  }
}
