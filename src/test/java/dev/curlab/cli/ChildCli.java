package dev.curlab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The curlab CLI in a real child JVM (for tests about processes, locks and disks). */
final class ChildCli {
    private ChildCli() {
    }

    /** Starts {@code curlab ARGS} with stdout and stderr going to {@code log}. */
    static Process start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs {@code curlab ARGS} to its end; returns its exit code (its output is in {@code log}). */
    static int run(List<String> args, Path log) throws Exception {
        Process p = start(args, log);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return p.exitValue();
    }

    /** The lines of a child's output that curlab wrote itself (not the engine's warnings). */
    static List<String> errorLines(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("curlab: error:")).toList();
    }
}
