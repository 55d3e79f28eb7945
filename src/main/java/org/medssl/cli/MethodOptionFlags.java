package org.medssl.cli;

import org.medssl.ssl.MethodOption;
import org.medssl.ssl.MethodOptions;
import org.medssl.ssl.PretextMethods;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The pretext methods' options as flags of {@code pretrain}, added from the registry when the
 * command is built: a method's new option is a flag without any change here. A boolean option's
 * flag sets the non-default; the others take a value, checked by the option.
 */
final class MethodOptionFlags implements CommandLine.IModelTransformer {
  @Override
  public CommandSpec transform(CommandSpec spec) {
    for (MethodOption<?> o : PretextMethods.allOptions()) {
      OptionSpec.Builder b = OptionSpec.builder(o.flag()).description(help(o));
      if (o.kind() == MethodOption.Kind.BOOLEAN) {
        b.arity("0").type(boolean.class);
      } else {
        b.arity("1").type(String.class).paramLabel(o.kind() == MethodOption.Kind.INTEGER ? "N" : "X");
      }
      spec.addOption(b.build());
    }
    return spec;
  }

  private static String help(MethodOption<?> o) {
    String text = o.help().replace("%", "%%");
    if (o.help().contains("default") || o.kind() == MethodOption.Kind.BOOLEAN) {
      return text;
    }
    String stem = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    return stem + " (default: " + o.defaultValue() + ").";
  }

  /** The option values given on the command line; the rest stay at their defaults. */
  static MethodOptions read(CommandSpec spec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    MethodOptions out = MethodOptions.defaults();
    for (MethodOption<?> o : PretextMethods.allOptions()) {
      if (parsed.hasMatchedOption(o.flag())) {
        String text = o.kind() == MethodOption.Kind.BOOLEAN ? String.valueOf(o.flagValue())
            : parsed.matchedOptionValue(o.flag(), "");
        out = out.withText(o, text);
      }
    }
    return out;
  }
}
