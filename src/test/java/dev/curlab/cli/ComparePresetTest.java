package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code curlab compare --preset}: what a preset expands to, and that the user's options win. */
class ComparePresetTest {
    static final String HEADLINE_SELECTORS = "random,stratified,loss,uncertainty,competence,alp-bandit,rho-loss,oracle-mixture,soft-q,greats,odm";
    static final String HEADLINE = "preset headline: --selectors " + HEADLINE_SELECTORS
            + " --seeds 5 --steps 1500 --data builtin:mixture --reward paired-delta";

    @TempDir
    Path tmp;

    /** Parses {@code compare ARGS --out TMP/out} as the CLI does and resolves the grid, without running it. */
    CompareCommand.Plan plan(String... args) {
        List<String> a = new ArrayList<>(List.of("compare"));
        a.addAll(List.of(args));
        a.addAll(List.of("--out", tmp.resolve("out").toString()));
        CommandLine cl = Main.commandLine();
        cl.parseArgs(a.toArray(String[]::new));
        CompareCommand cmd = cl.getSubcommands().get("compare").getCommand();
        return cmd.plan();
    }

    @Test
    void headlineExpandsToItsSelectorsSeedsStepsDataAndReward() {
        CompareCommand.Plan[] p = new CompareCommand.Plan[1];
        String printed = CompareCommandTest.stdoutOf(() -> p[0] = plan("--preset", "headline"));
        assertEquals(HEADLINE, printed.strip());
        assertEquals(List.of(HEADLINE_SELECTORS.split(",")), p[0].selectors());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), p[0].seeds());
        TrainConfig c = p[0].base();
        assertEquals(1500, c.steps());
        assertEquals("builtin:mixture", c.data());
        assertEquals("paired-delta", c.reward().spelling());
        // everything else is the product default
        TrainConfig d = TrainConfig.defaults("builtin:mixture");
        assertEquals(d.toBuilder().steps(1500).build(), c.toBuilder().reward(d.reward()).build());
        // and the preset is exactly its printed expansion
        assertEquals(p[0], plan("--selectors", HEADLINE_SELECTORS, "--seeds", "5", "--steps", "1500", "--data", "builtin:mixture",
                "--reward", "paired-delta"));
    }

    @Test
    void optionsOnTheCommandLineWinOverThePresetInAnyOrder() {
        CompareCommand.Plan[] p = new CompareCommand.Plan[1];
        String printed = CompareCommandTest.stdoutOf(() -> p[0] = plan("--steps", "200", "--preset", "headline", "--seeds", "1",
                "--selectors", "random,loss", "--reward", "absolute"));
        assertTrue(printed.contains(HEADLINE + " (overridden on the command line: --selectors, --seeds, --steps, --reward)"), printed);
        assertEquals(List.of("random", "loss"), p[0].selectors()); // replaced, not appended to the preset's
        assertEquals(List.of(0L), p[0].seeds());
        assertEquals(200, p[0].base().steps());
        assertEquals("absolute", p[0].base().reward().spelling());
        assertEquals("builtin:mixture", p[0].base().data());

        // an explicit seed list replaces the preset's --seeds instead of clashing with it
        assertEquals(List.of(5L, 7L), plan("--preset", "headline", "--seed-list", "5,7").seeds());
        // options the preset does not name keep working
        assertEquals(32, plan("--preset", "headline", "--context", "32").base().context());
    }

    @Test
    void debianExpandsToTheSettingsOfResultsDWithTheUsersData() throws Exception {
        Path dir = tmp.resolve("deb");
        Files.createDirectories(dir.resolve("train"));
        Files.writeString(dir.resolve("train/train.jsonl"), "{\"text\": \"abc\", \"source\": \"prose\"}\n");
        Files.writeString(dir.resolve("heldout.jsonl"), "{\"text\": \"abc\", \"source\": \"prose\"}\n");
        String data = dir.resolve("train").toString();
        String heldout = dir.resolve("heldout.jsonl").toString();
        CompareCommand.Plan[] p = new CompareCommand.Plan[1];
        String printed = CompareCommandTest.stdoutOf(() -> p[0] = plan("--preset", "debian", "--data", data, "--heldout", heldout));
        assertEquals("preset debian: --selectors " + HEADLINE_SELECTORS + " --seeds 5 --steps 1000 --tokenizer bytes"
                + " --reward paired-delta --target-loss 2.75", printed.strip());
        assertEquals(List.of(HEADLINE_SELECTORS.split(",")), p[0].selectors());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), p[0].seeds());
        TrainConfig c = p[0].base();
        assertEquals(1000, c.steps());
        assertEquals(data, c.data());
        assertEquals(heldout, c.heldout());
        assertEquals("bytes", c.tokenizer());
        assertEquals("paired-delta", c.reward().spelling());
        // the preset is exactly its printed expansion plus the user's data
        assertEquals(p[0], plan("--selectors", HEADLINE_SELECTORS, "--seeds", "5", "--steps", "1000", "--tokenizer", "bytes",
                "--reward", "paired-delta", "--target-loss", "2.75", "--data", data, "--heldout", heldout));
    }

    @Test
    void equalComputeExpandsToTheCheapSelectionOfResultsQ() {
        CompareCommand.Plan p = plan("--preset", "equal-compute");
        assertEquals(List.of("random", "stratified", "rho-loss", "soft-q", "competence"), p.selectors());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), p.seeds());
        TrainConfig c = p.base();
        assertEquals(1.2e11, c.budgetFlops());
        assertEquals("cosine", c.lrSchedule().spelling());
        assertEquals(4, c.candidates());
        assertEquals(2, c.heldoutBatch());
        assertEquals(16, c.selectorSettings().scoreTokens());
        assertEquals("pico", c.selectorSettings().baselines().ilModel());
        assertEquals(300, c.selectorSettings().baselines().ilSteps());
        assertEquals(256, c.heldoutWindows());
        assertEquals(64, c.evalWindows());
        assertEquals(80, c.evalEvery());
    }

    @Test
    void debianWithoutItsDataIsABadInputSayingWhatToGive() {
        Path out = tmp.resolve("nodata");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("compare", "--preset", "debian", "--heldout", "h.jsonl",
                "--out", out.toString())));
        assertEquals("curlab: error: --preset debian needs --data DIR/train --heldout DIR/heldout.jsonl (missing: --data;"
                + " scripts/debian-text.py DIR builds DIR)", err.strip());
        assertFalse(Files.exists(out));
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("compare", "--preset", "debian", "--out", out.toString())));
        assertTrue(err.contains("(missing: --data, --heldout;"), err);
    }

    @Test
    void unknownPresetIsABadInputNamingTheKnownOnes() {
        Path out = tmp.resolve("bad");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("compare", "--preset", "nope", "--out", out.toString())));
        assertEquals("curlab: error: --preset: unknown preset 'nope' (expected one of headline, debian, equal-compute)", err.strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void withoutSelectorsOrPresetTheErrorSaysWhatToGive() {
        Path out = tmp.resolve("none");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run("compare", "--out", out.toString())));
        assertEquals("curlab: error: --selectors is required (or use --preset NAME; presets: headline, debian, equal-compute)", err.strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpListsThePresetsAndWhatTheyRun() {
        String help = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run("compare", "--help")));
        assertTrue(help.contains("--preset=NAME"), help);
        assertTrue(help.contains("  headline  the headline evaluation: every selector, 5 seeds"), help);
        String unwrapped = help.replaceAll(",\\R\\s*", ",").replaceAll("\\R\\s*", " ");
        assertTrue(unwrapped.replace(" ", "").contains("(headline,debian,equal-compute;listedbelow)"), help);
        assertTrue(unwrapped.contains(HEADLINE.substring("preset headline: ".length())), help);
        assertTrue(help.contains("  debian    "), help);
        assertTrue(help.contains(String.format("  equal-compute%n            selection at equal compute")), help);
        assertTrue(unwrapped.contains("you give: --data DIR/train --heldout DIR/heldout.jsonl"), help);
    }

    @Test
    void aTinyPresetRunUsesThePresetsReward() throws Exception {
        Path out = tmp.resolve("tiny");
        List<String> a = new ArrayList<>(List.of("compare", "--preset", "headline", "--selectors", "random", "--seeds", "1",
                "--out", out.toString()));
        a.addAll(List.of(CompareCommandTest.TINY));
        assertEquals(0, Main.run(a.toArray(String[]::new)));
        JsonNode grid = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertEquals("paired-delta", grid.get("config").get("reward").asText());
        assertEquals(10, grid.get("config").get("steps").asLong());
        assertEquals("[0]", grid.get("seeds").toString());
    }
}
