package dev.curlab.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.run.StopSignal;
import dev.curlab.util.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code --jobs J} of a grid: its unfinished cells, J at a time, each in its own JVM running
 * {@code curlab compare-cell} ({@link CellProcess}) with {@code ai.djl.pytorch.num_threads} set to the
 * per-cell thread count. A cell's output goes to {@code OUT/cells/<id>.log}; one progress bar counts
 * the steps of the whole grid. A failed cell stops the grid: the cells still running are asked to
 * stop (they write a checkpoint), and the error names the cell and its log.
 */
final class ChildCells {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final String mainClass;
    private final int jobs;
    private final int threads;
    private final boolean overwrite;
    private final boolean progress;

    /**
     * @param mainClass the class whose main runs {@code compare-cell} (the curlab command)
     * @param threads   PyTorch threads of each child JVM
     */
    ChildCells(Path out, String mainClass, int jobs, int threads, boolean overwrite, boolean progress) {
        this.out = out;
        this.mainClass = mainClass;
        this.jobs = jobs;
        this.threads = threads;
        this.overwrite = overwrite;
        this.progress = progress;
    }

    /** A running child and what it has reported. */
    private static final class Child {
        final Cell cell;
        final Process process;
        final Path log;
        final AtomicLong step = new AtomicLong();
        final AtomicLong finishedAt = new AtomicLong(-1);   // the step the cell reported finishing at
        final AtomicReference<String> lastLine = new AtomicReference<>("");
        final Thread reader;

        Child(Cell cell, Process process, Path log) {
            this.cell = cell;
            this.process = process;
            this.log = log;
            this.reader = new Thread(this::pump, "curlab-cell-" + cell.name());
            this.reader.setDaemon(true);
            this.reader.start();
        }

        /** Copies the child's output into its log and keeps its step count. */
        private void pump() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(CellProcess.PREFIX + "step ") || line.startsWith(CellProcess.PREFIX + "started ")) {
                        step.set(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
                        continue;
                    }
                    if (line.startsWith(CellProcess.PREFIX + "finished ")) {  // "finished STEP LOSS STOPPED"
                        finishedAt.set(Long.parseLong(line.split(" ")[2]));
                    }
                    w.println(line);
                    w.flush();
                    if (!line.isBlank()) {
                        lastLine.set(line.strip());
                    }
                }
            } catch (IOException | RuntimeException e) {
                lastLine.set("(output unreadable: " + e.getMessage() + ")");
            }
        }
    }

    /**
     * Runs {@code cells} (none of them finished), {@code skippedSteps} being the steps of the grid's
     * finished cells (for the bar). Returns 0, {@link ExitCodes#STOPPED}, or a failed cell's exit code.
     */
    int run(List<Cell> cells, long skippedSteps, long totalSteps, int totalCells, StopSignal stop, String label) {
        Path logs = out.resolve("cells");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot create " + logs + " (" + e.getMessage() + ")");
        }
        Deque<Cell> queue = new ArrayDeque<>(cells);
        List<Child> running = new ArrayList<>();
        ProgressBar bar = !progress ? null : new ProgressBarBuilder().setTaskName(label).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        long doneSteps = skippedSteps;
        int doneCells = totalCells - cells.size();
        int code = 0;
        String failure = null;
        try {
            while (!queue.isEmpty() || !running.isEmpty()) {
                boolean stopping = stop.requested() || failure != null;
                while (!stopping && running.size() < jobs && !queue.isEmpty()) {
                    Cell c = queue.poll();
                    running.add(launch(c, logs));
                    if (bar == null) {
                        System.out.println(c.name() + ": starting in its own process (log " + logFile(logs, c) + ")");
                    }
                }
                if (stopping) {
                    queue.clear();
                    for (Child ch : running) {
                        ch.process.destroy();              // SIGTERM: the cell writes a checkpoint and exits
                    }
                }
                for (Child ch : new ArrayList<>(running)) {
                    if (ch.process.isAlive()) {
                        continue;
                    }
                    ch.reader.join(TimeUnit.SECONDS.toMillis(10));
                    running.remove(ch);
                    int rc = ch.process.exitValue();
                    if (rc == 0) {
                        doneSteps += ch.cell.steps();
                        doneCells++;
                        if (bar == null) {
                            // its own steps: under --budget-flops they are what the budget affords, not --steps
                            long steps = ch.finishedAt.get() >= 0 ? ch.finishedAt.get() : ch.cell.steps();
                            System.out.println(ch.cell.name() + ": finished " + steps + " steps");
                        }
                    } else if (!stopping) {
                        failure = label + " cell " + ch.cell.name() + " failed (exit " + rc + "): " + ch.lastLine.get()
                                + "; its log: " + ch.log;
                        code = rc == ExitCodes.BAD_INPUT || rc == ExitCodes.NONFINITE ? rc : 1;
                    }
                }
                if (bar != null) {
                    long now = doneSteps;
                    for (Child ch : running) {
                        now += ch.step.get();
                    }
                    bar.stepTo(now);
                    bar.setExtraMessage(" cells " + doneCells + "/" + totalCells + " done, " + running.size() + " running");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(ch -> ch.process.destroy());
            code = ExitCodes.STOPPED;
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        if (failure != null) {
            System.err.println("curlab: error: " + failure + " (rerun the same command to resume; finished cells are kept)");
            return code;
        }
        if (stop.requested() || code == ExitCodes.STOPPED) {
            System.err.println("curlab: " + label + " stopped; the running cells wrote checkpoints; rerun the same command to resume "
                    + "(finished runs are kept)");
            return ExitCodes.STOPPED;
        }
        return 0;
    }

    private static Path logFile(Path logs, Cell c) {
        return logs.resolve(c.id() + ".log");
    }

    /** Starts the child JVM of one cell, launched like the parent (same classpath, heap cap and engine settings). */
    private Child launch(Cell c, Path logs) {
        Path cfg = logs.resolve(c.id() + ".config.json");
        Path log = logFile(logs, c);
        try {
            JSON.writeValue(cfg.toFile(), c.config());
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "m", "-Dai.djl.offline=true",
                    "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1", "-Djava.awt.headless=true",
                    "-cp", System.getProperty("java.class.path"), mainClass, "compare-cell", "--config", cfg.toString(),
                    "--out", CellFolders.dir(out, c).toString()));
            if (!c.kind().equals("train")) {
                cmd.addAll(List.of("--kind", c.kind()));
            }
            if (overwrite) {
                cmd.add("--overwrite");
            }
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            return new Child(c, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the process of cell " + c.name(), e);
        }
    }
}
