package dev.curlab.cli;

/**
 * The earlier name of the {@code curlab-spark} entry point, kept so that spark-submit commands with
 * {@code --class dev.curlab.cli.SparkCompare} still work: it runs {@link dev.curlab.spark.SparkCompare}.
 */
public final class SparkCompare {
    private SparkCompare() {
    }

    public static void main(String[] args) {
        dev.curlab.spark.SparkCompare.main(args);
    }
}
