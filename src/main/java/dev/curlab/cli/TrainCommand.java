package dev.curlab.cli;

import dev.curlab.select.catalog.Selectors;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.RunDirectory;
import dev.curlab.run.StopSignal;
import dev.curlab.train.Trainer;
import dev.curlab.util.UserError;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--overwrite", description = "Replace an existing run in --out (it is kept until the new run has written its first checkpoint).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its newest intact checkpoint (its settings come from its config.json; "
            + "options that contradict them are refused; --steps K continues it to K steps in all).")
    Path resume;

    @Option(names = "--no-progress", description = "No progress bar; print eval lines instead.")
    boolean noProgress;

    @Override
    public Integer call() {
        StopSignal stop = StopSignal.install();
        Trainer trainer;
        try {
            if (resume != null) {
                long steps = ResumeOptions.check(spec.commandLine().getParseResult(), options,
                        Trainer.savedConfig(resume), resume);
                if (spec.commandLine().getParseResult().hasMatchedOption("--device")) {
                    dev.curlab.model.Devices.use(dev.curlab.model.Devices.resolve(options.device));
                }
                trainer = Trainer.resume(resume, steps, ConsoleProgress.train(System.out, !noProgress, "train"), stop);
            } else {
                var cfg = options.toConfig();
                Path dir = out != null ? out : Path.of("runs", cfg.selector() + "-seed" + cfg.seed());
                trainer = Trainer.start(cfg, dir, overwrite, ConsoleProgress.train(System.out, !noProgress, "train"), stop);
            }
        } catch (UncheckedIOException e) {
            stop.uninstall();
            throw new UserError(RunDirectory.ioFailure(e), e);
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
            System.out.println("report:        " + dev.curlab.report.CompareReport.writeRun(dir).toAbsolutePath());
            System.out.println("run directory: " + dir.toAbsolutePath());
            return 0;
        } catch (UncheckedIOException e) { // a full or read-only disk while training: one line, and how to go on
            RunDirectory<?> run = trainer.runDirectory();
            if (run.staged()) {
                throw new UserError(RunDirectory.ioFailure(e) + "; the run in " + run.target() + " was left as it was", e);
            }
            List<Path> kept = new CheckpointStore(run.dir()).list();
            throw new UserError(RunDirectory.ioFailure(e) + (kept.isEmpty() ? "" : "; the last good checkpoint is " + kept.get(0)
                    + "; free space and resume with: curlab train --resume " + run.dir()), e);
        } finally {
            stop.uninstall();
        }
    }

    static String selectorList() {
        return Selectors.describe();
    }

}
