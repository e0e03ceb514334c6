package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extreme options are refused with one line and exit 2 before anything is written or allocated: a
 * --beta past float32, and configurations whose memory estimate cannot fit (N, T), for train, compare
 * and bench; an existing run is left as it was.
 */
class LimitsCliTest {
    @TempDir
    static Path tmp;
    static Path existing;
    static Map<String, String> before;

    @BeforeAll
    static void anExistingRun() throws Exception {
        existing = tmp.resolve("existing");
        assertEquals(0, Main.run(RunFiles.tinyArgs(existing, 3).toArray(String[]::new)));
        before = BadInputTest.snapshot(existing);
    }

    /** Runs {@code train} with the tiny flags plus {@code extra} over the existing run, with --overwrite. */
    private static BadInputTest.Outcome train(String... extra) {
        List<String> args = RunFiles.tinyArgs(existing, 3);
        args.addAll(List.of(extra));
        args.add("--overwrite");
        return BadInputTest.run(args.toArray(String[]::new));
    }

    private static void assertRefused(BadInputTest.Outcome o, String... parts) throws Exception {
        assertEquals(2, o.code(), o.err());
        String line = o.err().strip();
        assertTrue(line.startsWith("curlab: error: "), line);
        assertFalse(line.contains("\n"), "one line: " + line);
        for (String p : parts) {
            assertTrue(line.contains(p), "'" + p + "' in: " + line);
        }
        assertEquals(before, BadInputTest.snapshot(existing), "the existing run is untouched");
    }

    @Test
    void aBetaPastFloat32IsRefusedWithItsRange() throws Exception {
        assertRefused(train("--selector", "soft-q", "--beta", "1e308"), "--beta must be in (0, ", "for -N 4", "got 1.0E308");
    }

    @Test
    void twoBillionCandidatesAreRefusedWithWhatWouldFit() throws Exception {
        assertRefused(train("-N", "2000000000"), "this run needs about ", " of memory (estimated; largest part: ",
                " is available (", "would fit");
    }

    @Test
    void aHundredThousandCandidatesAreRefused() throws Exception {
        BadInputTest.Outcome o = train("-N", "100000");
        assertRefused(o, "this run needs about ", "step peak (scoring pass)", "-N ");
        int n = Integer.parseInt(o.err().strip().replaceAll(".*; -N (\\d+) .*", "$1"));
        assertTrue(n >= 4 && n < 100_000, o.err());
    }

    @Test
    void aContextOfAHundredThousandTokensIsRefusedWithTheLargestThatFits() throws Exception {
        BadInputTest.Outcome o = train("--context", "100000");
        assertRefused(o, "this run needs about ", "--context ");
        int t = Integer.parseInt(o.err().strip().replaceAll(".*--context (\\d+) would fit$", "$1"));
        assertTrue(t >= 32 && t < 100_000, o.err());
    }

    @Test
    void compareChecksEveryCellBeforeRunningAny() throws Exception {
        Path out = tmp.resolve("grid");
        BadInputTest.Outcome o = BadInputTest.run("compare", "--selectors", "random,rho-loss", "--seeds", "1", "--steps", "2",
                "--context", "32", "-N", "100000", "-M", "4", "--heldout-windows", "16", "--eval-windows", "8", "--no-progress",
                "--out", out.toString());
        assertRefused(o, "this run needs about ");
        assertFalse(Files.exists(out.resolve("random")), "no cell ran");
    }

    @Test
    void benchChecksItsRunsBeforeMeasuring() throws Exception {
        BadInputTest.Outcome o = BadInputTest.run("bench", "--model", "nano", "--tokenizer", "bytes", "--context", "32",
                "-N", "100000", "-M", "4", "--steps", "1");
        assertRefused(o, "this run needs about ", "-N ");
        List<String> lines = o.err().strip().lines().toList();
        assertEquals(1, lines.size());
    }
}
