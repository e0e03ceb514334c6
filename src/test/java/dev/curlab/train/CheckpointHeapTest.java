package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint larger than the Java heap is written and read back: its files are streamed one tensor
 * at a time (encoding a whole group into one byte array ran a GPT-2 RL run out of its 2 GB heap
 * after training, saving nothing). Here 4 x 12 MB in a 64 MB heap.
 */
class CheckpointHeapTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckpointLargerThanTheHeapIsWrittenAndReadBack() throws Exception {
        Path log = tmp.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:MaxDirectMemorySize=512m",
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                CheckpointHeapProbe.class.getName(), tmp.resolve("run").toString(), "4", "3000000");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertEquals(48_000_000 + 8, Files.size(tmp.resolve("run/checkpoints/step-00000001/optimizer.safetensors")) - headerBytes(), 8);
    }

    private long headerBytes() throws Exception {
        byte[] first = Files.readAllBytes(tmp.resolve("run/checkpoints/step-00000001/optimizer.safetensors"));
        return java.nio.ByteBuffer.wrap(first, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
