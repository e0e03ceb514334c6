package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.CandidateBatch;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StratifiedSelectorTest {
    private static String pickedSource(StratifiedSelector s, CandidateBatch b) {
        return b.window(s.select(b, new StepMetrics()).train()[0]).source();
    }

    @Test
    void aSourceInEveryBatchIsPickedInTurnWhateverItsShareOfTheCandidates() {
        StratifiedSelector s = new StratifiedSelector(1, 1);
        // 6 of 8 candidates are web: random would pick web 3/4 of the time
        CandidateBatch b = Batches.ofSources(0, "web", "web", "code", "web", "web", "math", "web", "web");
        for (int round = 0; round < 50; round++) {
            Set<String> seen = new HashSet<>();
            for (int k = 0; k < 3; k++) {
                seen.add(pickedSource(s, b));
            }
            assertEquals(Set.of("web", "code", "math"), seen, "each round of three picks takes each source once");
        }
        assertEquals(Map.of("web", 50L, "code", 50L, "math", 50L), s.counts());
    }

    @Test
    void aSourceMissingFromABatchIsMadeUpWhenItIsBack() {
        StratifiedSelector s = new StratifiedSelector(2, 1);
        CandidateBatch both = Batches.ofSources(0, "a", "b");
        CandidateBatch onlyA = Batches.ofSources(1, "a", "a", "a");
        pickedSource(s, both);
        pickedSource(s, both);                                // a 1, b 1
        for (int i = 0; i < 4; i++) {
            assertEquals("a", pickedSource(s, onlyA));       // a 5, b 1
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("b", pickedSource(s, both), "b catches up while it is behind");
        }
        assertEquals(Map.of("a", 5L, "b", 5L), s.counts());
    }

    @Test
    void aNewSourceJoinsAtTheLowestCountAndABatchPickTakesDistinctWindows() {
        StratifiedSelector s = new StratifiedSelector(3, 1);
        CandidateBatch ab = Batches.ofSources(0, "a", "b");
        for (int i = 0; i < 10; i++) {
            pickedSource(s, ab);
        }
        CandidateBatch abc = Batches.ofSources(1, "a", "b", "c");
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 3; k++) {
            seen.add(pickedSource(s, abc));
        }
        assertEquals(Set.of("a", "b", "c"), seen, "c starts at 5 picks, not 0, so it does not take the next ten picks");

        StratifiedSelector batch = new StratifiedSelector(4, 4);
        CandidateBatch c = Batches.ofSources(2, "x", "x", "x", "y", "x", "z");
        int[] picks = batch.select(c, new StepMetrics()).train();
        assertEquals(4, Set.of(picks[0], picks[1], picks[2], picks[3]).size(), "distinct windows");
        assertEquals(Set.of("x", "y", "z"), Set.of(c.window(picks[0]).source(), c.window(picks[1]).source(), c.window(picks[2]).source()),
                "the first three picks of a batch are one of each source");
        assertEquals("x", c.window(picks[3]).source(), "y and z have no window left");
    }

    @Test
    void saveAndRestoreContinueTheSameDraws() {
        StratifiedSelector s = new StratifiedSelector(5, 2);
        CandidateBatch b = Batches.ofSources(0, "a", "b", "a", "c", "b", "a");
        for (int i = 0; i < 7; i++) {
            s.select(b, new StepMetrics());
        }
        SelectorState st = s.save();
        StratifiedSelector t = new StratifiedSelector(99, 2);
        t.restore(st);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(s.select(b, new StepMetrics()).train(), t.select(b, new StepMetrics()).train());
        }
        assertEquals(s.counts(), t.counts());
        assertTrue(List.of(0L, 1L).contains(Math.abs(s.counts().get("a") - s.counts().get("c"))));
    }
}
