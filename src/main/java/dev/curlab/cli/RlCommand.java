package dev.curlab.cli;

import dev.curlab.rl.Curators;
import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlRuns;
import dev.curlab.rl.RlTrainer;
import dev.curlab.run.StopSignal;
import dev.curlab.run.RunDirectory;
import dev.curlab.util.UserError;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code curlab rl}: RL post-training on verifiable problems with a problem curator, or the continuation of such a run. */
@Command(name = "rl", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Post-train a policy with GRPO on verifiable problems picked by a curator; write a run directory.")
final class RlCommand implements Callable<Integer> {
    private static final RlConfig D = RlConfig.defaults();

    @Mixin
    RlOptions options = new RlOptions();

    @Option(names = "--curator", paramLabel = "NAME", description = "Problem curator: " + Curators.NAMES + ", or " + Curators.REMOTE + " (a curlab serve service) (default: ${DEFAULT-VALUE}).")
    String curator = D.curator();

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the bank, sampling and curator (default: ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/rl-<curator>-seed<seed>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing run in --out (kept until the new run's first checkpoint).")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the RL run in RUN_DIR from its newest intact checkpoint (its settings come from its config.json; --steps K continues it to K steps in all).")
    Path resume;

    @Option(names = "--no-progress", description = "No progress lines; print eval lines instead.")
    boolean noProgress;

    /** The config these options start (with --resume: what they are checked against). */
    RlConfig toConfig() {
        return options.toConfig(curator, seed);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StopSignal stop = StopSignal.install();
        RlTrainer trainer;
        ConsoleProgress console = ConsoleProgress.rl(System.out, !noProgress);
        try {
            if (resume != null) {
                long total = ResumeOptions.checkRl(spec.commandLine().getParseResult(), this::toConfig, RlRuns.savedConfig(resume),
                        resume, () -> options.steps);
                trainer = RlRuns.resume(resume, total, console, stop);
            } else {
                RlConfig cfg = toConfig();
                Path dir = out != null ? out : Path.of("runs", "rl-" + cfg.curator().replaceAll("[^A-Za-z0-9._?=&,-]+", "_") + "-seed" + cfg.seed());
                trainer = RlRuns.start(cfg, dir, overwrite, console, stop);
            }
        } catch (UncheckedIOException e) {
            stop.uninstall();
            throw new UserError(RunDirectory.ioFailure(e), e);
        } catch (RuntimeException e) {
            stop.uninstall();
            throw e;
        }
        try (trainer) {
            RlTrainer.Result r = trainer.run();
            Path dir = trainer.runDirectory().dir();
            if (r.stopped()) {
                System.err.println("curlab: stopped at step " + r.steps() + "; checkpoint written to " + r.checkpoint()
                        + "; resume with: curlab rl --resume " + dir);
                return Main.EXIT_STOPPED;
            }
            System.out.println("report: " + dev.curlab.report.RlReport.write(dir.resolve("report.html"),
                    String.valueOf(dir.toAbsolutePath().normalize().getFileName()), java.util.List.of(dir)).toAbsolutePath());
            System.out.println("run directory: " + dir.toAbsolutePath());
            return 0;
        } catch (UncheckedIOException e) {
            throw new UserError(RunDirectory.ioFailure(e) + "; resume with: curlab rl --resume " + trainer.runDirectory().dir(), e);
        } finally {
            stop.uninstall();
        }
    }
}
