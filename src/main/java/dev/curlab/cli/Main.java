package dev.curlab.cli;

import dev.curlab.grid.ExitCodes;
import dev.curlab.grid.RemoteCells;
import dev.curlab.train.NonFiniteError;
import dev.curlab.util.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code curlab} command. Exit codes: 0 ok, 2 bad input, 3 numerical fault, 130 stopped by a signal. */
@Command(name = "curlab", mixinStandardHelpOptions = true, version = "curlab 0.1.0",
        description = "Train a GPT-2-style language model on a curriculum it learns to select.",
        subcommands = {TrainCommand.class, RlCommand.class, RlCompareCommand.class, CompareCommand.class, ReportCommand.class, DemoCommand.class, EvalCommand.class, BenchCommand.class,
                ExportCommand.class, VerifyCommand.class, CellCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int EXIT_BAD_INPUT = ExitCodes.BAD_INPUT;
    public static final int EXIT_NONFINITE = ExitCodes.NONFINITE;
    public static final int EXIT_STOPPED = ExitCodes.STOPPED;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            cl.getErr().println("curlab: error: unknown command '" + args[0] + "' (commands: "
                    + String.join(", ", cl.getSubcommands().keySet()) + "; see 'curlab --help')");
            return EXIT_BAD_INPUT;
        }
        return cl.execute(args);
    }

    /**
     * The configured command line whose {@code compare} and {@code rl-compare} hand their unfinished
     * cells to {@code remote} (the curlab-spark entry point's Spark job).
     */
    public static CommandLine commandLine(RemoteCells remote) {
        CommandLine cl = commandLine();
        ((CompareCommand) cl.getSubcommands().get("compare").getCommand()).remote = remote;
        ((RlCompareCommand) cl.getSubcommands().get("rl-compare").getCommand()).remote = remote;
        return cl;
    }

    /** The configured command line: option rules, help footers and exit codes. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOverwrittenOptionsAllowed(true); // a repeated option takes its last value
        cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer(dev.curlab.select.catalog.Selectors.describe());
        cl.getSubcommands().get("compare").getCommandSpec().usageMessage().footer(ComparePreset.describe());
        HelpLayout.hide(cl.getSubcommands().get("compare"), "--selector", "--seed"); // refused there, with a hint
        HelpLayout.install(cl);
        String[] version = cl.getCommandSpec().version();
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(version)); // `curlab rl --version` too
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserError) {
                cmd.getErr().println("curlab: error: " + dev.curlab.util.Messages.clean(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof NonFiniteError || ex instanceof dev.curlab.select.softq.NonFiniteQError) {
                cmd.getErr().println("curlab: error: " + dev.curlab.util.Messages.clean(ex.getMessage()));
                return EXIT_NONFINITE;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("curlab: error: " + dev.curlab.util.Messages.clean(ex.getMessage()) + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        });
        return cl;
    }
}
