package dev.curlab.spark;

import dev.curlab.cli.Main;
import dev.curlab.grid.CellProcess;
import dev.curlab.grid.ExitCodes;
import dev.curlab.run.RunLock;
import dev.curlab.util.MachineInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/**
 * One grid cell as a Spark task, run on an executor: it starts the cell as its own JVM ({@code curlab
 * compare-cell}, like {@code compare --jobs J}), with {@code spark.task.cpus} PyTorch threads, and
 * waits for it. The child resumes from the run directory's newest intact checkpoint, or returns at
 * once when the run is finished, so a retried task loses at most the steps since that checkpoint.
 *
 * <ul>
 *   <li>A crash (killed child, lost memory, exit 1, stop by a signal) throws: Spark retries the task.</li>
 *   <li>Bad input (exit 2) and a numerical fault (exit 3) would fail again: they are returned for the
 *       driver to report, as {@code compare} does, without a retry.</li>
 *   <li>While another process holds the run directory's lock (the child of an attempt Spark gave up
 *       on, still running), the task waits for it to end, then resumes or finds the run finished.</li>
 *   <li>The child stops with a checkpoint when its executor dies (its standard input closes), and
 *       when Spark kills the task (SIGTERM).</li>
 * </ul>
 */
final class SparkCellTask implements Function<SparkCellTask.Spec, SparkCellTask.Result> {
    private static final long serialVersionUID = 1L;
    static final String BUSY = "is in use by another curlab process";

    /** A cell as the driver hands it over: its name, kind (train or rl), config file, run directory and log, all on the shared path. */
    record Spec(String name, String kind, String config, String dir, String log, List<String> javaOptions) implements Serializable {
    }

    /** What the driver gathers from a cell. */
    record Result(String name, String log, int exitCode, String lastLine, int attempt, String host, String cpuModel, boolean avx2,
            boolean avx512f, int threads, String atenCapability) implements Serializable {
        MachineInfo machine() {
            return new MachineInfo(cpuModel, avx2, avx512f, threads, atenCapability);
        }
    }

    @Override
    public Result call(Spec spec) throws Exception {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        int threads = task == null ? 1 : Math.max(1, task.cpus());
        String host = InetAddress.getLocalHost().getHostName();
        Path dir = Path.of(spec.dir());
        Path log = Path.of(spec.log());
        Files.createDirectories(log.getParent());
        while (true) {
            waitForLock(dir, log);
            String[] last = {""};
            int rc = runChild(spec, threads, attempt, host, log, last);
            if (rc == ExitCodes.BAD_INPUT && last[0].contains(BUSY)) {
                continue;                                            // another process took the lock first: wait for it
            }
            if (rc == 0 || rc == ExitCodes.BAD_INPUT || rc == ExitCodes.NONFINITE) {
                MachineInfo m = MachineInfo.current(threads);
                return new Result(spec.name(), spec.log(), rc, last[0], attempt, host, m.cpuModel(), m.avx2(), m.avx512f(), threads,
                        m.atenCapability());
            }
            throw new IllegalStateException("cell " + spec.name() + " ended with exit code " + rc + " on " + host + " (attempt "
                    + attempt + "): " + last[0] + "; its log: " + log + ". Spark retries the task; the cell resumes from its checkpoint");
        }
    }

    /** Polls the run directory's lock until no process holds it. */
    private static void waitForLock(Path dir, Path log) throws IOException, InterruptedException {
        boolean said = false;
        while (RunLock.held(dir)) {
            if (!said) {
                append(log, "curlab: " + dir + " is locked by another process (an earlier attempt's child); waiting for it to end");
                said = true;
            }
            TimeUnit.SECONDS.sleep(2);
        }
    }

    /** Starts the child JVM, copies its output (less its progress lines) into the log, and returns its exit code. */
    private static int runChild(Spec spec, int threads, int attempt, String host, Path log, String[] last)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(spec.javaOptions());
        cmd.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads, "-Dai.djl.pytorch.num_interop_threads=1",
                "-Djava.awt.headless=true", "-cp", childClasspath(), Main.class.getName(), "compare-cell", "--config", spec.config(),
                "--kind", spec.kind(), "--out", spec.dir(), "--stop-with-parent"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        append(log, "== " + Instant.now() + " " + spec.name() + ": attempt " + attempt + " on " + host + ", pid " + p.pid() + ", "
                + threads + " PyTorch thread" + (threads == 1 ? "" : "s"));
        Thread pump = new Thread(() -> copy(p, log, last), "curlab-cell-log");
        pump.setDaemon(true);
        pump.start();
        try {
            int rc = p.waitFor();
            pump.join(TimeUnit.SECONDS.toMillis(10));
            return rc;
        } catch (InterruptedException e) {                          // Spark killed the task: the child writes a checkpoint
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * The classpath of the child: the application jar this class came from (curlab-spark.jar, shipped
     * to the executor by spark-submit), or this JVM's classpath when the classes are not in a jar
     * (tests on the local master).
     */
    static String childClasspath() {
        try {
            Path src = Path.of(SparkCellTask.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(src) && src.toString().endsWith(".jar") ? src.toString() : System.getProperty("java.class.path");
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }

    private static void copy(Process p, Path log, String[] last) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(CellProcess.PREFIX + "started ")) {
                    String step = line.substring(line.lastIndexOf(' ') + 1);
                    line = step.equals("0") ? "curlab: starting the run" : "curlab: resuming at step " + step;
                } else if (line.startsWith(CellProcess.PREFIX)) {
                    continue;                                        // step and finish lines are for progress bars
                }
                w.println(line);
                w.flush();
                if (!line.isBlank()) {
                    last[0] = line.strip();
                }
            }
        } catch (IOException e) {
            last[0] = "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static void append(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + log, e);
        }
    }
}
