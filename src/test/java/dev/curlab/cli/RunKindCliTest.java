package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --resume} of an RL run, and {@code rl --resume} of a pretraining run: exit 2, one line naming the right command. */
class RunKindCliTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    }

    private Path dir(String name, String config) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("config.json"), "{\"config\": " + config + ", \"resolved\": {}}");
        return d;
    }

    @Test
    void resumingARunWithTheOtherLoopsCommandIsRefused() throws IOException {
        Path rl = dir("rl", "{\"tasks\": \"builtin:arith\", \"curator\": \"uniform\"}");
        String[] r = run("train", "--resume", rl.toString());
        assertEquals("2", r[0]);
        assertEquals("curlab: error: --resume " + rl + ": not a pretraining run (resume it with curlab rl --resume)\n", r[1]);

        Path train = dir("train", "{\"selector\": \"random\", \"data\": \"builtin:mixture\"}");
        String[] t = run("rl", "--resume", train.toString());
        assertEquals("2", t[0]);
        assertEquals("curlab: error: --resume " + train + ": not an RL run (resume it with curlab train --resume)\n", t[1]);
    }
}
