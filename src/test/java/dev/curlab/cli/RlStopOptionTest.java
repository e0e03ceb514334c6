package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rl --stop}: the rule reaches the saved config; an empty one changes nothing and exits 2. */
class RlStopOptionTest {
    @TempDir
    Path tmp;

    @Test
    void theStopRuleIsSavedWithTheRunAndAnEmptyOneIsRefused() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, Main.run("rl", "--model", "pico", "--context", "32", "--steps", "1", "-N", "4", "-B", "2", "-G", "2",
                "--max-new", "4", "--heldout", "4", "--eval-every", "1", "--temperature", "0.7", "--stop", "\\n\\n",
                "--out", out.toString(), "--no-progress"));
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("config");
        assertEquals("\\n\\n", cfg.get("stop").asText());
        assertEquals(0.7, cfg.get("temperature").asDouble());
        Path none = tmp.resolve("none");
        assertEquals(2, Main.run("rl", "--stop", "", "--out", none.toString(), "--no-progress"));
        assertEquals(false, none.toFile().exists());
    }
}
