package dev.curlab.cli;

import dev.curlab.select.Selectors;
import dev.curlab.train.StopSignal;
import dev.curlab.train.Trainer;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code curlab train}: one run, or the continuation of one with {@code --resume}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model on a selected curriculum and write a run directory.",
        footerHeading = "%nSelectors (--selector NAME):%n")
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<selector>-seed<seed>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing run in --out.")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its newest intact checkpoint (other options are taken from its config.json).")
    Path resume;

    @Option(names = "--no-progress", description = "No progress bar; print eval lines instead.")
    boolean noProgress;

    @Override
    public Integer call() {
        StopSignal stop = StopSignal.install();
        Trainer trainer;
        try {
            if (resume != null) {
                trainer = Trainer.resume(resume, new ConsoleListener(System.out, !noProgress, "train"), stop);
            } else {
                var cfg = options.toConfig();
                Path dir = out != null ? out : Path.of("runs", cfg.selector() + "-seed" + cfg.seed());
                trainer = Trainer.start(cfg, dir, overwrite, new ConsoleListener(System.out, !noProgress, "train"), stop);
            }
        } catch (RuntimeException e) {
            stop.uninstall();   // a bad option must not leave the exit waiting on the stop hook
            throw e;
        }
        try (trainer) {
            Trainer.Result r = trainer.run();
            Path dir = trainer.runDirectory().dir();
            if (r.stopped()) {
                System.err.println("curlab: stopped at step " + r.steps() + "; checkpoint written to " + r.checkpoint()
                        + "; resume with: curlab train --resume " + dir);
                return Main.EXIT_STOPPED;
            }
            System.out.println("report:        " + ReportCommand.writeRunReport(dir).toAbsolutePath());
            System.out.println("run directory: " + dir.toAbsolutePath());
            return 0;
        } finally {
            stop.uninstall();
        }
    }

    static String selectorList() {
        return Selectors.describe();
    }

}
