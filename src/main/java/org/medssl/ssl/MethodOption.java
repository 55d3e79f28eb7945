package org.medssl.ssl;

import java.util.Locale;
import java.util.function.Predicate;
import org.medssl.MedsslException;
import org.medssl.nn.Dims;

/**
 * One setting of a pretext method, declared once by the method: its name in study configs, its
 * command-line flag, its default, what values are valid, its help text and how it enters
 * fingerprints. The registry hands these to {@code pretrain}'s options, to the study YAML reader
 * and to the fingerprint, so a new option is one declaration in its method's class.
 *
 * <p>A boolean option's flag states the non-default: giving it sets the opposite of the default
 * ({@code --flips} turns flips on, {@code --no-flip-align} turns FlipAlign off).
 *
 * @param name the key in study configs ({@code maskBlock})
 * @param flag the command-line flag ({@code --mask-block})
 * @param fingerprint how the value enters a pretraining's fingerprint
 * @param onlyIn the one network dimension the option can be set in, or null for any
 */
public record MethodOption<T>(String name, String flag, Kind kind, T defaultValue, String help, Predicate<T> valid,
    String requirement, Fingerprint<T> fingerprint, OnlyIn onlyIn) {

  /** The value types options have. */
  public enum Kind { BOOLEAN, INTEGER, NUMBER }

  /**
   * How an option is fingerprinted: {@code base} options are always written, in the order the
   * registry lists them; the others only when their value differs from {@code before}, the value
   * the code had before the option existed, under {@code key}, so pretrainings from before keep
   * their fingerprints.
   */
  public record Fingerprint<T>(boolean base, String key, T before) {}

  /** An option that means something in one dimension only, and why (completes "name ..." in the error). */
  public record OnlyIn(Dims dims, String reason) {}

  public static MethodOption<Double> number(String name, String flag, double defaultValue, String help) {
    return new MethodOption<>(name, flag, Kind.NUMBER, defaultValue, help, v -> true, "", null, null);
  }

  public static MethodOption<Integer> integer(String name, String flag, int defaultValue, String help) {
    return new MethodOption<>(name, flag, Kind.INTEGER, defaultValue, help, v -> true, "", null, null);
  }

  public static MethodOption<Boolean> bool(String name, String flag, boolean defaultValue, String help) {
    return new MethodOption<>(name, flag, Kind.BOOLEAN, defaultValue, help, v -> true, "", null, null);
  }

  /** The same option with a check; {@code requirement} completes "must be ..." in the error. */
  public MethodOption<T> validWhen(Predicate<T> check, String requirement) {
    return new MethodOption<>(name, flag, kind, defaultValue, help, check, requirement, fingerprint, onlyIn);
  }

  /** Always in the fingerprint, as {@code name=value}. */
  public MethodOption<T> alwaysFingerprinted() {
    return new MethodOption<>(name, flag, kind, defaultValue, help, valid, requirement,
        new Fingerprint<>(true, name, null), onlyIn);
  }

  /** In the fingerprint as {@code key=value} when the value is not {@code before}. */
  public MethodOption<T> fingerprintedUnless(String key, T before) {
    return new MethodOption<>(name, flag, kind, defaultValue, help, valid, requirement,
        new Fingerprint<>(false, key, before), onlyIn);
  }

  /** Fingerprinted unless it has the value the code always had, under its own name. */
  public MethodOption<T> fingerprintedUnless(T before) {
    return fingerprintedUnless(name, before);
  }

  /** The same option, refused when set off its default for a network of other dimensions. */
  public MethodOption<T> onlyIn(Dims dims, String reason) {
    return new MethodOption<>(name, flag, kind, defaultValue, help, valid, requirement, fingerprint,
        new OnlyIn(dims, reason));
  }

  /** Checks a value; the error names the option both ways it can be given. */
  public T check(T value) {
    if (value == null || !valid.test(value)) {
      throw new MedsslException("pretraining: " + name + " (" + flag + ") must be " + requirement + ", got " + value);
    }
    return value;
  }

  /** Parses the text of a command-line or config value. */
  public T parse(String text) {
    String t = text.trim();
    Object value;
    try {
      value = switch (kind) {
        case BOOLEAN -> parseBoolean(t);
        case INTEGER -> Integer.valueOf(t);
        case NUMBER -> Double.valueOf(t);
      };
    } catch (NumberFormatException e) {
      throw new MedsslException("pretraining: " + name + " (" + flag + ") must be " + kindWord() + ", got '" + text
          + "'");
    }
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return check(typed);
  }

  private Boolean parseBoolean(String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new NumberFormatException(t);
    };
  }

  private String kindWord() {
    return switch (kind) {
      case BOOLEAN -> "true or false";
      case INTEGER -> "an integer";
      case NUMBER -> "a number";
    };
  }

  /** The value a command-line flag without argument sets (booleans only): the non-default. */
  public boolean flagValue() {
    return !(Boolean) defaultValue;
  }
}
