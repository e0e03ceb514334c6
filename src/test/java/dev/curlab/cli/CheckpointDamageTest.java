package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static dev.curlab.cli.BadInputTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint file of the right size whose bytes changed: the message names both CRC32s. */
class CheckpointDamageTest {
    @TempDir
    Path tmp;

    @Test
    void aFlippedByteIsReportedAsACrcMismatchWithBothValues() throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, Main.run(RunFiles.tinyArgs(run, 4).toArray(String[]::new)));
        Path ck = run.resolve("checkpoints/step-00000004");
        Path model = ck.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(model, bytes);
        long expected = new ObjectMapper().readTree(ck.resolve("state.json").toFile())
                .at("/files/model.safetensors/crc32").asLong();
        CRC32 crc = new CRC32();
        crc.update(bytes);
        assertBad(run("train", "--resume", run.toString(), "--no-progress"), "no intact checkpoint", "model.safetensors",
                String.format("CRC32 is %08x, expected %08x", crc.getValue(), expected), bytes.length + " bytes");
    }
}
