package org.medssl.cli;

import java.util.concurrent.Callable;
import org.medssl.MedsslException;
import org.medssl.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code medssl <command> [options]}. */
@Command(name = "medssl", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Self-supervised pretraining and label-efficient fine-tuning of segmentation networks for MR and CT.",
    subcommands = {DemoCommand.class, DoctorCommand.class, StudyCommand.class, DataCommand.class, PretrainCommand.class, FinetuneCommand.class, LaunchCommand.class, EvaluateCommand.class, ExportCommand.class, ViewCommand.class,
        PredictCommand.class, InspectCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
  public static final int USER_ERROR = 2;

  @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  public static void main(String[] args) {
    org.medssl.tensor.Engine.allowRelaunch(); // a process of its own: it may restart with the engine's environment
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 ok, 2 user error, 1 internal error). */
  public static int run(String... args) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> handle(e, main.debug || hasDebug(args)));
    cli.setParameterExceptionHandler((e, a) -> {
      System.err.println("medssl: " + e.getMessage());
      System.err.println("Try 'medssl " + String.join(" ", commandPath(e.getCommandLine())) + " --help'.");
      return USER_ERROR;
    });
    return cli.execute(args);
  }

  private static int handle(Exception e, boolean debug) {
    Throwable user = userError(e);
    if (debug) {
      e.printStackTrace();
    }
    if (Progress.anyDrawn()) {
      System.err.println(); // a bar leaves its line open
    }
    if (user != null) {
      System.err.println("medssl: error: " + user.getMessage());
      return USER_ERROR;
    }
    System.err.println("medssl: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
    return 1;
  }

  private static Throwable userError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MedsslException) {
        return t;
      }
    }
    return null;
  }

  private static boolean hasDebug(String[] args) {
    for (String a : args) {
      if ("--debug".equals(a)) {
        return true;
      }
    }
    return false;
  }

  private static java.util.List<String> commandPath(CommandLine cmd) {
    java.util.LinkedList<String> names = new java.util.LinkedList<>();
    for (CommandLine c = cmd; c != null && c.getParent() != null; c = c.getParent()) {
      names.addFirst(c.getCommandName());
    }
    return names;
  }

  /** Prints the medssl and engine versions. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"medssl " + Version.current(), org.medssl.tensor.Engine.libtorchVersion()};
    }
  }
}
