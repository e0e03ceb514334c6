package dev.curlab.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.grid.Cell;
import dev.curlab.grid.CellFolders;
import dev.curlab.grid.RemoteCells;
import dev.curlab.report.MachineLog;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The driver's side of {@code curlab-spark}: the grid's unfinished cells as one Spark job, one task
 * (one partition) per cell ({@link SparkCellTask}). Retries are Spark's ({@code spark.task.maxFailures};
 * on a local master {@code local[N,F]}). The Spark context starts only once the grid is checked and
 * has cells to run, and stops when the command ends.
 *
 * <p>Settings (as {@code --conf} of spark-submit): {@code spark.curlab.cellJavaOptions} (JVM options
 * of each cell's process, default {@code -Xmx2g}), {@code spark.curlab.sharedOut} (true: take
 * {@code --out} as shared even on a local disk); {@code spark.task.cpus} is each cell's PyTorch threads.
 */
public final class SparkCells implements RemoteCells, AutoCloseable {
    public static final String JAVA_OPTIONS = "spark.curlab.cellJavaOptions";
    public static final String SHARED_OUT = "spark.curlab.sharedOut";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The last failure of a cell's task, as {@link SparkCellTask} words it, in Spark's job-aborted message. */
    private static final Pattern CELL_FAILURE = Pattern.compile("cell [^:\\n]+ ended with exit code -?\\d+ on .*?\\(attempt \\d+\\)");

    private final SparkConf conf;
    private JavaSparkContext context;

    public SparkCells(SparkConf conf) {
        this.conf = conf;
    }

    @Override
    public void check(Path out, boolean overwrite, int jobs) {
        if (!conf.contains("spark.master")) {
            throw new UserError("no Spark master: submit with spark-submit --master URL (docs/cluster.md), or set spark.master");
        }
        UserError.require(jobs == 1, "--jobs: Spark runs the cells (spark.task.cpus threads each, as many at a time as the "
                + "executors have cores); leave --jobs out");
        UserError.require(!overwrite, "--overwrite: a retried Spark task must resume its cell, so curlab-spark never starts "
                + "cells afresh; delete " + out + " or give another --out");
        SharedOut.require(conf.get("spark.master"), out.toString(), conf.getBoolean(SHARED_OUT, false));
    }

    @Override
    public int run(Path out, List<Cell> todo, String label) {
        System.out.println("curlab-spark: " + todo.size() + " run(s) to do as Spark tasks on " + conf.get("spark.master"));
        if (todo.isEmpty()) {
            return 0;
        }
        List<SparkCellTask.Spec> specs = new ArrayList<>();
        Path logs = out.toAbsolutePath().resolve("cells");
        List<String> javaOptions = Arrays.stream(conf.get(JAVA_OPTIONS, "-Xmx2g").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        try {
            Files.createDirectories(logs);
            for (Cell c : todo) {
                Path cfg = logs.resolve(c.id() + ".config.json");
                JSON.writeValue(cfg.toFile(), c.config());
                specs.add(new SparkCellTask.Spec(c.name(), c.kind(), cfg.toString(), CellFolders.dir(out, c).toAbsolutePath().toString(),
                        logs.resolve(c.id() + ".log").toString(), javaOptions));
            }
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot write the cells' configs in " + logs + " (" + e.getMessage() + ")");
        }
        List<SparkCellTask.Result> results;
        try {
            JavaSparkContext sc = context();
            // interruptOnCancel: a cancelled job interrupts its tasks, which stop their cells with a checkpoint
            sc.setJobGroup("curlab-" + label, "curlab " + label + ": " + specs.size() + " cells into " + out.toAbsolutePath(), true);
            results = sc.parallelize(specs, specs.size()).map(new SparkCellTask()).collect();
        } catch (Exception e) {                                         // Spark throws its (checked) SparkException unchecked
            String message = String.valueOf(e.getMessage());
            Matcher m = CELL_FAILURE.matcher(message);
            String why = m.find() ? m.group() : message.lines().findFirst().orElse(e.toString());
            System.err.println("curlab: error: the Spark job failed: " + why.strip() + " (the cells' logs are in " + logs
                    + "; rerun the same command to resume; finished cells are kept)");
            return 1;
        }
        int code = 0;
        for (SparkCellTask.Result r : results) {
            MachineLog.record(out, r.machine());
            if (r.exitCode() == 0) {
                System.out.println(r.name() + ": finished on " + r.host() + " (task attempt " + r.attempt() + ")");
            } else {
                System.err.println("curlab: error: " + label + " cell " + r.name() + " failed (exit " + r.exitCode() + "): " + r.lastLine()
                        + "; its log: " + r.log());
                code = code == 0 ? r.exitCode() : code;
            }
        }
        return code;
    }

    /** The Spark context, started on first use. */
    private JavaSparkContext context() {
        if (context == null) {
            conf.setIfMissing("spark.app.name", "curlab compare");
            context = new JavaSparkContext(conf);
        }
        return context;
    }

    @Override
    public void close() {
        if (context != null) {
            context.stop();
            context = null;
        }
    }
}
