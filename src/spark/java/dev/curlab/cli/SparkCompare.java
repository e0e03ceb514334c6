package dev.curlab.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import picocli.CommandLine;

/**
 * {@code curlab-spark}: {@code curlab compare} with each grid cell a Spark task, submitted with
 * spark-submit (docs/cluster.md):
 *
 * <pre>
 * spark-submit --master yarn --class dev.curlab.cli.SparkCompare curlab-spark.jar \
 *     --selectors random,loss,soft-q --seeds 10 --steps 2000 --checkpoint-every 200 --out /shared/runs/grid
 * </pre>
 *
 * It takes compare's options; the master, the executors and their cores come from spark-submit.
 * The driver plans the grid, skips finished cells, runs the others as one Spark job
 * ({@link SparkCells}) and then writes the summary, statistics and report as {@code compare} does.
 */
public final class SparkCompare {
    private SparkCompare() {
    }

    public static void main(String[] args) {
        System.exit(run(new SparkConf(), args));
    }

    /** Runs compare's command line {@code args} with its cells on Spark under {@code conf}; returns the exit code. */
    public static int run(SparkConf conf, String... args) {
        CommandLine cl = Main.commandLine();
        CommandLine compare = cl.getSubcommands().get("compare");
        try (SparkCells cells = new SparkCells(conf)) {
            ((CompareCommand) compare.getCommand()).runner = cells;
            List<String> all = new ArrayList<>(List.of("compare"));
            all.addAll(List.of(args));
            return cl.execute(all.toArray(String[]::new));
        }
    }
}
