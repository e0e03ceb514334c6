package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rl-compare --preset: the grid it names, its warm start, options given on the command line winning, and a rerun reading it. */
class RlPresetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String[] small(Path out) {
        return new String[] {"rl-compare", "--preset", "curators", "--curators", "uniform", "--seeds", "1", "--steps", "2",
            "--eval-every", "1", "--heldout", "8", "--warm-steps", "5", "--out", out.toString()};
    }

    @Test
    void aPresetTrainsItsWarmStartThenRunsItsGridWithTheCommandLinesOverrides() throws Exception {
        Path out = tmp.resolve("grid");
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(small(out))));
        assertTrue(printed.contains("preset curators: --curators " + RlPreset.EVERY_CURATOR + " --seeds 5 --steps 150"), printed);
        assertTrue(printed.contains("(overridden on the command line: --curators, --seeds, --steps, --eval-every, --heldout)"), printed);
        // the warm start: the demo's recipe at --warm-steps
        Path warm = out.resolve("warm/random/seed0");
        JsonNode w = JSON.readTree(warm.resolve("config.json").toFile()).get("config");
        assertEquals(DemoSettings.WARM_DATA, w.get("data").asText());
        assertEquals(5, w.get("steps").asLong());
        assertEquals(3e-3, w.get("lr").asDouble(), 0);
        // the cell: the preset's bank, tokens and lr, the command line's steps and held-out size, from the warm start
        JsonNode c = JSON.readTree(out.resolve("uniform/seed0/config.json").toFile()).get("config");
        assertEquals(RlPreset.R_BANK, c.get("tasks").asText(), c.toString());
        assertEquals(6, c.get("maxNew").asInt(), c.toString());
        assertEquals(3e-4, c.get("lr").asDouble(), 0, c.toString());
        assertEquals(2, c.get("steps").asLong(), c.toString());
        assertEquals(8, c.get("heldout").asInt(), c.toString());
        assertEquals(warm.toString(), c.get("initFrom").asText(), c.toString());
        assertFalse(Files.exists(out.resolve("learnability/seed0")));
        assertTrue(Files.readString(out.resolve("table.md")).contains("reached 0.450"), "the preset's target");
        // the same command again: the warm start and the cell are finished and only read
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(small(out))));
        assertTrue(printed.contains("finished before, skipped"), printed);
        assertTrue(printed.contains("is done; reading it"), printed);
    }

    @Test
    void anUnknownPresetIsOneLineNamingTheKnownOnes() {
        Path out = tmp.resolve("bad");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("rl-compare", "--preset", "nope", "--out", out.toString())));
        assertTrue(err.contains("--preset: unknown preset 'nope' (expected one of curators, curators-chain, arena)"), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void theArenaPresetNamesTheFieldsBaselinesAtTenSeedsOnTheFixedBank() {
        RlCompareCommand c = new RlCompareCommand();
        java.util.List<String> a = new java.util.ArrayList<>(RlPreset.named("arena").arguments());
        a.addAll(java.util.List.of("--out", tmp.toString()));
        new picocli.CommandLine(c).parseArgs(a.toArray(String[]::new));
        assertEquals(java.util.List.of("uniform", "dapo", "learnability", "learnability-history", "mopps", "greso", "band", "curator",
                "soft-q"), c.curators);
        assertEquals(10, c.seeds);
        assertEquals("builtin:arith-bank?size=512&families=add:1-3,mul:1,chain:2-4", c.options.toConfig("uniform", 0).tasks());
        assertEquals(200, c.options.toConfig("uniform", 0).steps());
        java.util.List<String> known = java.util.Arrays.asList(dev.curlab.rl.Curators.NAMES.split(", "));
        for (String cur : c.curators) {
            assertTrue(known.contains(cur), cur + " is a curator");
            assertEquals(cur, c.options.toConfig(cur, 9).curator());          // every cell's config validates
        }
    }

    @Test
    void theAutomaticTargetIsAboveTheStartEvenWhenTheWarmStartIsAlreadyPastEightyPercentOfTheBest() {
        assertEquals(0.04, dev.curlab.rl.RlTable.autoTarget(0.035, 0.05), 1e-12);        // 80% of 0.05, above the start
        // RESULTS V, bank B: every run starts at 0.175 and the lowest best of a run is 0.215; 80% of it, 0.172,
        // would be reached at 0 rollouts, so the target is halfway from the start: 0.175 + 0.02
        assertEquals(0.195, dev.curlab.rl.RlTable.autoTarget(0.175, 0.215), 1e-12);
        assertEquals(0.175, dev.curlab.rl.RlTable.autoTarget(0.175, 0.175), 1e-12);      // nobody improved: the start itself
    }
}
