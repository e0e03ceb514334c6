package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Assign;
import dev.curlab.train.RunFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's "AutoNonVariableTypeMode is deprecated" warning, printed by native code straight to
 * stderr once a process writes an array through DJL's {@code set(float[])}: real child processes of
 * the commands that load or copy weights print none of it.
 */
class NativeWarningTest {
    static final String WARNING = "AutoNonVariableTypeMode";
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void aRun() {
        run = tmp.resolve("run");
        assertEquals(0, Main.run(RunFiles.tinyArgs(run, 3).toArray(String[]::new)));
    }

    /** Writes an array both ways: with "djl" through DJL's set(float[]) (the probe), else through Assign. */
    public static final class Probe {
        public static void main(String[] args) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.zeros(new Shape(2, 2));
                x.setRequiresGradient(true);
                if (args[0].equals("djl")) {
                    x.set(new float[] {1, 2, 3, 4});
                } else {
                    Assign.values(x, new float[] {1, 2, 3, 4});
                }
                System.out.println(java.util.Arrays.toString(x.toFloatArray()));
            }
        }
    }

    static String child(String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(240, TimeUnit.SECONDS));
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), said);
        return said;
    }

    @Test
    void theProbeSeesTheWarningThroughDjlsSetAndNoneThroughAssign() throws Exception {
        String djl = child(Probe.class.getName(), "djl");
        assertTrue(djl.contains(WARNING) && djl.contains("[1.0, 2.0, 3.0, 4.0]"), djl);
        String ours = child(Probe.class.getName(), "assign");
        assertFalse(ours.contains(WARNING), ours);
        assertTrue(ours.contains("[1.0, 2.0, 3.0, 4.0]"), ours);
    }

    @Test
    void commandsThatLoadOrCopyWeightsPrintNoWarning() throws Exception {
        String main = Main.class.getName();
        List<String> softq = RunFiles.tinyArgs(tmp.resolve("softq"), 3);
        softq.addAll(List.of("--selector", "soft-q", "--il-steps", "2"));
        for (String said : List.of(
                child(main, softq.toArray(String[]::new)),
                child(main, "export", "--checkpoint", run.toString(), "--to", "hf", tmp.resolve("hf").toString()),
                child(main, "eval", "--checkpoint", run.toString(), "--data", "builtin:mixture", "--max-windows", "4"))) {
            assertFalse(said.contains(WARNING), said);
        }
    }
}
