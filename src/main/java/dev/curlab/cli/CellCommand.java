package dev.curlab.cli;

import dev.curlab.grid.CellProcess;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab compare-cell} (hidden): one cell of a grid in its own JVM ({@code compare --jobs J},
 * {@code rl-compare --jobs J}, curlab-spark's tasks); see {@link CellProcess}.
 */
@Command(name = "compare-cell", hidden = true, description = "One cell of a parallel grid (used by compare --jobs and rl-compare --jobs).")
final class CellCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The run's TrainConfig (or with --kind rl, RlConfig) as JSON.")
    Path config;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "train", description = "train or rl (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The run directory.")
    Path out;

    @Option(names = "--overwrite", description = "Start afresh even if DIR holds a checkpoint.")
    boolean overwrite;

    @Option(names = "--stop-with-parent",
            description = "Stop with a checkpoint when standard input closes (the process that started this one ended).")
    boolean stopWithParent;

    @Override
    public Integer call() {
        return CellProcess.run(CellProcess.read(config, kind), out, overwrite, stopWithParent);
    }
}
