package dev.curlab.spark;

import dev.curlab.cli.Main;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * {@code curlab-spark}: {@code curlab compare} (or {@code curlab rl-compare}) with each grid cell a
 * Spark task, submitted with spark-submit (docs/cluster.md):
 *
 * <pre>
 * spark-submit --master yarn --class dev.curlab.spark.SparkCompare curlab-spark.jar \
 *     --selectors random,loss,soft-q --seeds 10 --steps 2000 --checkpoint-every 200 --out /shared/runs/grid
 * spark-submit ... curlab-spark.jar rl-compare --curators uniform,dapo --seeds 10 ... --out /shared/runs/rl
 * </pre>
 *
 * It takes compare's options, or rl-compare's after the word {@code rl-compare}; the master, the
 * executors and their cores come from spark-submit. The driver plans the grid, skips finished cells,
 * runs the others as one Spark job ({@link SparkCells}, the grid runner's remote cells) and then
 * writes the tables and report as the command does.
 */
public final class SparkCompare {
    private SparkCompare() {
    }

    public static void main(String[] args) {
        System.exit(run(new SparkConf(), args));
    }

    /**
     * Runs compare's command line {@code args} (rl-compare's when the first is {@code rl-compare};
     * a leading {@code compare} is allowed) with its cells on Spark under {@code conf}; returns the exit code.
     */
    public static int run(SparkConf conf, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.isEmpty() || !(all.get(0).equals("compare") || all.get(0).equals("rl-compare"))) {
            all.add(0, "compare");
        }
        try (SparkCells cells = new SparkCells(conf)) {
            return Main.commandLine(cells).execute(all.toArray(String[]::new));
        }
    }
}
