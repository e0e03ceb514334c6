package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.eval.Bootstrap;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paired differences against the reference on hand-made runs (evals at steps 0, 2, 4 = examples 0, 2, 4). */
class PairedStatsTest {
    @TempDir
    Path tmp;

    List<RunData> grid() throws Exception {
        return List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "random", 1, "absolute", new double[] {5, 4.5, 4}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 3, 2.5}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 1, "absolute", new double[] {5, 3.5, 3}, "")),
                RunData.load(HandRuns.write(tmp, "mixed", 0, "absolute", new double[] {5, 3.5, 2.5}, "")),
                RunData.load(HandRuns.write(tmp, "mixed", 1, "absolute", new double[] {5, 4.6, 4.4}, "")),
                RunData.load(HandRuns.write(tmp, "loss", 0, "absolute", new double[] {5, 4.8, 4.6}, "")));
    }

    PairedStats.Row row(PairedStats s, String selector, String metric) {
        return s.rows().stream().filter(r -> r.selector().equals(selector) && r.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void targetsAreTheReferencesMeanLossAtAQuarterHalfAndEnd() throws Exception {
        PairedStats s = PairedStats.build(grid(), "random");
        assertEquals(List.of(new PairedStats.Target("1/4", 1, 4.625), new PairedStats.Target("1/2", 2, 4.25),
                new PairedStats.Target("end", 4, 3.5)), s.targets());     // step 1: (4.5 + 4.75) / 2
        assertEquals(2, s.aucFrom(), 0);
        assertEquals(4, s.aucTo(), 0);
        String md = s.markdown();
        assertTrue(md.contains("@1/4 = 4.6250 (random's mean eval loss at step 1)"), md);
    }

    @Test
    void pairedDifferencesAndIntervals() throws Exception {
        PairedStats s = PairedStats.build(grid(), "random");
        // to 4.625: random 0.75 and 1.5 examples, soft-q 0.375 and 0.5
        PairedStats.Row q = row(s, "soft-q", "examples_to_target@1/4");
        assertArrayEquals(new double[] {-0.375, -1.0}, q.diffs(), 1e-12);
        assertEquals(-0.6875, q.mean(), 1e-12);
        // two pairs: resampled means -1, -0.6875, -0.375 with probability 1/4, 1/2, 1/4 -> [min, max]
        assertEquals(new Bootstrap.Interval(-1.0, -0.375), q.ci());
        assertEquals("fewer examples", q.verdict());

        // to 3.5: random seed 1 never reaches it (its loss ends at 4): censored at its 4 examples, the difference an upper bound
        PairedStats.Row end = row(s, "soft-q", "examples_to_target@end");
        assertArrayEquals(new double[] {1.5 - 3, 2 - 4}, end.diffs(), 1e-12);
        assertArrayEquals(new boolean[] {false, true}, end.censoredRef());
        assertEquals("fewer examples", end.verdict());        // a censored reference only lowers the true difference

        // mean loss over ln(examples) on [2, 4]: random 3.5 and 4.25, soft-q 2.75 and 3.25, mixed 3.0 and 4.5
        assertArrayEquals(new double[] {-0.75, -1.0}, row(s, "soft-q", PairedStats.AUC).diffs(), 1e-12);
        assertEquals("lower loss", row(s, "soft-q", PairedStats.AUC).verdict());
        PairedStats.Row mixed = row(s, "mixed", PairedStats.AUC);
        assertArrayEquals(new double[] {-0.5, 0.25}, mixed.diffs(), 1e-12);
        assertEquals(new Bootstrap.Interval(-0.5, 0.25), mixed.ci());
        assertEquals("no difference", mixed.verdict());

        PairedStats.Row loss = row(s, "loss", "examples_to_target@end");
        assertEquals(List.of(0L), loss.seeds());
        assertNull(loss.ci());
        assertEquals("one seed: no interval", loss.verdict());

        String md = s.markdown();
        assertTrue(md.contains("| mixed | AUC (log examples) | 2 | -0.1250 | [-0.5000, +0.2500] | no difference | 0: -0.5000, 1: +0.2500 |"), md);
        assertTrue(md.contains("| soft-q | examples to 3.5000 (@end) | 2 | -2 (1 censored) | [-2, -2] | fewer examples | 0: -2, 1: ≤-2 |"), md);
        assertTrue(s.csv().contains("soft-q,random,examples_to_target@end,3.5,2,1,-1.75,-2.0,-1.5,fewer examples,0:-1.5;1:<=-2.0\n"),
                s.csv());
    }

    @Test
    void aDirectionThatCensoringCouldUndoIsNotClaimed() {
        // the selector never reached the target in seed 1: its true difference could be larger than -2
        PairedStats.Row r = new PairedStats.Row("x", "examples_to_target@end", 3, List.of(0L, 1L), new double[] {-3, -2},
                new boolean[] {false, true}, new boolean[] {false, false}, -2.5, new Bootstrap.Interval(-3, -2));
        assertEquals("undetermined (censored)", r.verdict());
        PairedStats.Row more = new PairedStats.Row("x", "examples_to_target@end", 3, List.of(0L, 1L), new double[] {3, 2},
                new boolean[] {false, true}, new boolean[] {false, false}, 2.5, new Bootstrap.Interval(2, 3));
        assertEquals("more examples", more.verdict());       // a censored selector only raises it further
    }

    @Test
    void anotherReferenceAndAMissingOne() throws Exception {
        PairedStats s = PairedStats.build(grid(), "soft-q");
        assertEquals(-row(PairedStats.build(grid(), "random"), "soft-q", PairedStats.AUC).mean(), row(s, "random", PairedStats.AUC).mean(), 1e-12);
        PairedStats none = PairedStats.build(grid(), "nope");
        assertTrue(none.rows().isEmpty());
        assertTrue(none.markdown().contains("no runs of the reference selector 'nope'"), none.markdown());
    }
}
