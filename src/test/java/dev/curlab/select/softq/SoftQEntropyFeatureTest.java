package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.cli.Main;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.train.RunFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring pass computes entropies only for selectors that ask; soft-q asks when it reads them. */
class SoftQEntropyFeatureTest {
    @TempDir
    Path tmp;

    @Test
    void theEntropyFeatureGetsEntropiesFromTheScoringPass() {
        List<String> args = RunFiles.tinyArgs(tmp.resolve("run"), 6);
        args.addAll(List.of("--selector", "soft-q", "--q-features", "hidden+loss+entropy", "--il-cache", tmp.resolve("il").toString()));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        assertEquals(6 + 2, RunFiles.metricsWithoutTimes(tmp.resolve("run")).size());
    }

    @Test
    void onlyTheEntropyFeatureAsksForEntropiesAndOnlyPaperExactUsesTheAbsoluteReward() {
        SoftQConfig d = SoftQFixtures.defaultsWithoutModel();
        SoftQConfig entropy = d.toBuilder().features("hidden+loss+entropy").credit("pick").prior("none").nstep(1).build();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            try (SoftQSelector plain = new SoftQSelector(context(m, d));
                 SoftQSelector withEntropy = new SoftQSelector(context(m, entropy));
                 SoftQSelector paper = new SoftQSelector(context(m, paperExact()))) {
                assertFalse(plain.needsEntropy());
                assertTrue(withEntropy.needsEntropy());
                assertEquals("paired-delta", plain.rewardKind());
                assertEquals("absolute", paper.rewardKind());
            }
        }
    }

    /** What --paper-exact builds: the paper's values with the flag set. */
    private static SoftQConfig paperExact() {
        return SoftQConfig.PAPER.toBuilder().paperExact(true).build();
    }

    private static SelectorContext context(ai.djl.ndarray.NDManager m, SoftQConfig q) {
        return new SelectorContext(1, 4, 8, 10, m, new SelectorSettings(1, q, null), java.util.Map.of(), null, List.of(),
                java.util.Map.of());
    }
}
