package dev.curlab.cli;

import dev.curlab.select.Selectors;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab demo}: a short {@code compare} of random, loss, rho-loss, soft-q and oracle-mixture (those that
 * are registered) on builtin:mixture with one seed, then the table and the report. Re-running it
 * replaces the previous demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compare random, loss, rho-loss, soft-q and oracle-mixture on builtin:mixture for a few minutes; print the table and write a report.")
final class DemoCommand implements Callable<Integer> {
    static final List<String> WANTED = List.of("random", "loss", "rho-loss", "soft-q", "oracle-mixture");

    @Option(names = "--out", paramLabel = "DIR", description = "Where the demo goes (default: ${DEFAULT-VALUE}); a previous demo there is replaced.",
            defaultValue = "runs/demo")
    Path out;

    @Option(names = "--steps", paramLabel = "K", description = "Training steps per selector (default: ${DEFAULT-VALUE}).", defaultValue = "800")
    long steps;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    /** The demo's settings: small enough that the whole grid runs in a few minutes on two cores. */
    static TrainConfig config(long steps) {
        TrainConfig d = TrainConfig.defaults("builtin:mixture");
        long evalEvery = Math.max(1, steps / 10);
        return new TrainConfig(d.data(), d.heldout(), d.eval(), d.tokenizer(), d.model(), d.context(),
                steps, 16, 8, 256, 64, evalEvery,
                d.selector(), d.selectorSettings(), d.microbatch(),
                d.optimizer(), d.lr(), d.lrSchedule(), d.warmup(), d.minLrRatio(), d.decayFraction(),
                d.clip(), d.weightDecay(), 0, 0, d.onNonfinite(), d.reward(), d.initFrom());
    }

    @Override
    public Integer call() throws IOException {
        List<String> selectors = WANTED.stream().filter(Selectors::exists).toList();
        if (Files.exists(out)) {
            if (!Files.isRegularFile(out.resolve("compare.json"))) {
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new UserError("--out " + out + " is not empty and holds no previous demo; choose another directory");
                    }
                }
            }
            dev.curlab.util.Directories.deleteRecursively(out);
        }
        return CompareCommand.run(config(steps), selectors, List.of(0L), out, Double.NaN, true, !noProgress, "demo");
    }

}
