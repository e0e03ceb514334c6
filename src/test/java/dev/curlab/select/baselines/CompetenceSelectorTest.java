package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.UserError;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompetenceSelectorTest {

    /** A label-mode selector over the token ids of {@link Batches#window} (< 7). */
    static CompetenceSelector label(long seed, int selectBatch, double c0, long horizon) {
        return new CompetenceSelector(seed, selectBatch, c0, horizon, "label", 7);
    }

    @Test
    void competenceMatchesTheSquareRootScheduleByHand() {
        assertEquals(0.01, CompetenceSelector.competence(0, 100, 0.01), 1e-12);            // c(0) = c0
        assertEquals(Math.sqrt(0.50005), CompetenceSelector.competence(50, 100, 0.01), 1e-12); // 0.5 * 0.9999 + 0.0001
        assertEquals(0.5074445782546108, CompetenceSelector.competence(1, 4, 0.1), 1e-12);  // sqrt(0.99 / 4 + 0.01)
        assertEquals(1.0, CompetenceSelector.competence(100, 100, 0.01), 1e-12);           // full competence at T
        assertEquals(1.0, CompetenceSelector.competence(250, 100, 0.01), 1e-12);           // and capped after it
    }

    @Test
    void withNothingAdmittedItTakesTheEasiestCandidate() {
        CompetenceSelector s = label(1, 1, 0.01, 100);
        CandidateBatch b = Batches.of(0, null, new double[] {3, 1, 2, 4}, new float[4], null);
        StepMetrics m = new StepMetrics();
        assertArrayEquals(new int[] {1}, s.select(b, m).train());
        assertEquals(0.01, (Double) m.get("competence_c"), 1e-12);
        assertEquals(0, m.get("competence_admitted"));
        assertEquals(0.25, (Double) m.get("selected_percentile"), 1e-12);
        assertEquals(1.0, (Double) m.get("selected_difficulty_score"), 1e-12);
        assertEquals(Set.of(Selector.Label.DIFFICULTY), s.requires());
    }

    @Test
    void neverAdmitsAWindowAboveCompetence() {
        // T = 8, c0 = 0.5: c(t) = sqrt(0.75 t / 8 + 0.25), so c(0) = 0.5 and c(8) = 1. Difficulties 1..4
        // in equal numbers give percentiles 1/4, 1/2, 3/4, 1 once the stream has been seen.
        CompetenceSelector s = label(3, 2, 0.5, 8);
        double[] levels = {4, 3, 2, 1, 1, 2, 3, 4};
        for (int t = 0; t <= 9; t++) {
            CandidateBatch b = Batches.of(t, null, levels, new float[levels.length], null);
            StepMetrics m = new StepMetrics();
            int[] picks = s.select(b, m).train();
            double c = CompetenceSelector.competence(t, 8, 0.5);
            for (int i : picks) {
                double percentile = levels[i] / 4;
                assertTrue(percentile <= c, "step " + t + ": picked difficulty " + levels[i] + " at c = " + c);
            }
            long admitted = java.util.Arrays.stream(levels).filter(d -> d / 4 <= c).count();
            assertEquals((int) admitted, m.get("competence_admitted"));
        }
    }

    @Test
    void percentileIsTheRunningShareOfLabelsAtMostD() {
        CompetenceSelector s = label(1, 1, 0.01, 10);
        s.select(Batches.of(0, null, new double[] {0.2, 0.4, 0.4, 0.9}, new float[4], null), new StepMetrics());
        s.select(Batches.of(1, null, new double[] {0.1, 0.9, 0.9, 0.9}, new float[4], null), new StepMetrics());
        // seen: 0.1, 0.2, 0.4, 0.4, 0.9 x4
        assertEquals(2 / 8.0, s.percentile(0.2), 1e-12);
        assertEquals(4 / 8.0, s.percentile(0.5), 1e-12);
        assertEquals(1.0, s.percentile(0.9), 1e-12);
        CompetenceSelector r = label(99, 1, 0.01, 10);
        r.restore(s.save());
        assertEquals(4 / 8.0, r.percentile(0.4), 1e-12);
        CandidateBatch next = Batches.of(5, null, new double[] {0.1, 0.2, 0.4, 0.9}, new float[4], null);
        assertArrayEquals(s.select(next, new StepMetrics()).train(), r.select(next, new StepMetrics()).train());
    }

    @Test
    void rarityIsTheMeanNegativeLogUnigramFrequencyByHand() {
        // V = 4. After the batch the counts are 0:4, 1:1, 2:2, 3:1 (8 tokens), so with add-one smoothing
        // p = (count + 1) / (8 + 4): p0 = 5/12, p1 = 2/12, p2 = 3/12, p3 = 2/12.
        CompetenceSelector s = new CompetenceSelector(1, 1, 0.01, 100, "rarity", 4);
        StepMetrics m = new StepMetrics();
        int[] picks = s.select(Batches.ofTokens(0, new int[] {0, 0, 0, 1}, new int[] {0, 2, 2, 3}), m).train();
        double easy = (3 * Math.log(12 / 5.0) + Math.log(6)) / 4;                  // 1.1045415...
        double hard = (Math.log(12 / 5.0) + 2 * Math.log(4) + Math.log(6)) / 4;    // 1.3599543...
        assertEquals(1.1045415, easy, 1e-7);
        assertEquals(1.3599543, hard, 1e-7);
        assertArrayEquals(new int[] {0}, picks);
        assertEquals(easy, (Double) m.get("selected_difficulty_score"), 1e-12);
        assertEquals(0.5, (Double) m.get("selected_percentile"), 1e-12);
        assertEquals(hard, CompetenceSelector.rarity(new int[] {0, 2, 2, 3}, new long[] {4, 1, 2, 1}, 8), 1e-12);
        // before any count every token has p = 1 / V
        assertEquals(Math.log(4), CompetenceSelector.rarity(new int[] {3, 1}, new long[4], 0), 1e-12);
    }

    @Test
    void autoChoosesLabelsWhenEveryWindowOfTheFirstBatchHasOneAndRarityOtherwise() {
        CandidateBatch labelled = Batches.of(0, null, new double[] {3, 1, 2}, new float[3], null);
        CandidateBatch partly = Batches.of(0, null, new double[] {3, Double.NaN, 2}, new float[3], null);
        CompetenceSelector a = new CompetenceSelector(1, 1, 0.01, 100, "auto", 7);
        assertEquals("auto", a.mode());
        StepMetrics m = new StepMetrics();
        a.select(labelled, m);
        assertEquals("label", a.mode());
        assertEquals(1.0, (Double) m.get("selected_difficulty_score"), 1e-12);
        // a later window without a label is a one-line error naming the way out
        UserError e = assertThrows(UserError.class, () -> a.select(Batches.ofTokens(1, new int[] {1, 2}), new StepMetrics()));
        assertEquals("--selector competence uses difficulty labels (the first step's windows all had one), but window 100"
                + " at step 1 has none; use --competence-difficulty rarity", e.getMessage());

        CompetenceSelector b = new CompetenceSelector(1, 1, 0.01, 100, "auto", 7);
        b.select(partly, new StepMetrics());
        assertEquals("rarity", b.mode());
        m = new StepMetrics();
        b.select(Batches.of(1, null, new double[] {3, 1, 2}, new float[3], null), m);
        assertEquals("rarity", b.mode(), "the first batch's decision holds for the run");
        assertTrue((Double) m.get("selected_difficulty_score") > 1.0, "a rarity, not the label 1: " + m.asMap());
    }

    @Test
    void atLowCompetenceRarityPicksFrequentTokenWindowsOverNoise() {
        // 4 noise windows (uniform over V = 256, like builtin noise) and 4 windows of three frequent tokens
        int vocab = 256;
        int length = 33;
        Random random = new Random(7);
        CompetenceSelector s = new CompetenceSelector(2, 2, 0.3, 1000, "auto", vocab);
        for (int t = 0; t < 10; t++) {
            int[][] tokens = new int[8][length];
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < length; j++) {
                    tokens[i][j] = i % 2 == 0 ? random.nextInt(vocab) : 10 + random.nextInt(3);
                }
            }
            StepMetrics m = new StepMetrics();
            int[] picks = s.select(Batches.ofTokens(t, tokens), m).train();
            for (int i : picks) {
                assertEquals(1, i % 2, "step " + t + ": picked noise window " + i + " " + m.asMap());
            }
        }
        assertEquals("rarity", s.mode());
    }

    @Test
    void restoredMidRunContinuesLikeTheUninterruptedSelector() throws Exception {
        // auto on unlabelled data chooses rarity; a ring of 12 rarities over batches of 8 forgets old ones
        CompetenceSelector s = new CompetenceSelector(5, 2, 0.2, 12, "auto", 16, 12);
        Random random = new Random(3);
        CandidateBatch[] batches = new CandidateBatch[10];
        for (int t = 0; t < batches.length; t++) {
            int[][] tokens = new int[8][9];
            for (int i = 0; i < 8; i++) {
                int spread = 1 + i * 2;   // window i uses tokens 0 .. 2i
                for (int j = 0; j < 9; j++) {
                    tokens[i][j] = random.nextInt(spread);
                }
            }
            // from step 5 on the windows carry labels: the restored run must stay in rarity mode too
            batches[t] = t < 5 ? Batches.ofTokens(t, tokens) : labelled(Batches.ofTokens(t, tokens));
        }
        for (int t = 0; t < 4; t++) {
            s.select(batches[t], new StepMetrics());
        }
        ObjectMapper json = new ObjectMapper();   // through JSON, as a checkpoint stores it
        @SuppressWarnings("unchecked")
        Map<String, Object> values = json.readValue(json.writeValueAsString(s.save().values()), Map.class);
        CompetenceSelector r = new CompetenceSelector(99, 2, 0.2, 12, "auto", 16, 12);
        r.restore(new SelectorState(values, Map.of()));
        assertEquals("rarity", r.mode());
        for (int t = 4; t < batches.length; t++) {
            StepMetrics ms = new StepMetrics();
            StepMetrics mr = new StepMetrics();
            assertArrayEquals(s.select(batches[t], ms).train(), r.select(batches[t], mr).train(), "step " + t);
            assertEquals(ms.asMap(), mr.asMap(), "step " + t);
        }
        assertEquals(s.save().values(), r.save().values());
        assertEquals(12, ((List<?>) r.save().values().get("recent")).size());
    }

    private static CandidateBatch labelled(CandidateBatch b) {
        List<dev.curlab.data.Window> windows = b.windows().stream()
                .map(w -> new dev.curlab.data.Window(w.id(), w.tokens(), null, 1.0)).toList();
        return new CandidateBatch(b.step(), windows, b.loss(), b.entropy(), null);
    }

    @Test
    void percentilesInRarityModeAreOverTheLastRememberedValues() {
        // a ring of 4: after two batches of 3 only the last 4 rarities count
        CompetenceSelector s = new CompetenceSelector(1, 1, 0.01, 100, "rarity", 8, 4);
        s.select(Batches.ofTokens(0, new int[] {0, 0}, new int[] {1, 1}, new int[] {2, 3}), new StepMetrics());
        StepMetrics m = new StepMetrics();
        s.select(Batches.ofTokens(1, new int[] {0, 0}, new int[] {0, 1}, new int[] {4, 5}), m);
        // counts now 0:5 1:3 2:1 3:1 4:1 5:1 (12 tokens), p = (c + 1) / 20
        double easiest = Math.log(20 / 6.0);
        assertEquals(easiest, (Double) m.get("selected_difficulty_score"), 1e-12);
        assertEquals(1 / 4.0, (Double) m.get("selected_percentile"), 1e-12);
        assertEquals(1 / 4.0, s.percentile(easiest), 1e-12);
    }

    @Test
    void onlyLabelModeRequiresTheDifficultyLabel() {
        assertEquals(Set.of(Selector.Label.DIFFICULTY), new CompetenceSelector(1, 1, 0.01, 10, "label", 7).requires());
        assertEquals(Set.of(), new CompetenceSelector(1, 1, 0.01, 10, "auto", 7).requires());
        assertEquals(Set.of(), new CompetenceSelector(1, 1, 0.01, 10, "rarity", 7).requires());
    }

    @Test
    void anUnknownDifficultyModeIsAOneLineUserError() {
        UserError e = assertThrows(UserError.class, () ->
                new BaselineConfig(0, 0, 0.01, 0, "length", 300, 8, "c", 0, 10, 0.1, 0.2));
        assertEquals("--competence-difficulty: expected auto, label or rarity, got 'length'", e.getMessage());
        assertEquals("auto", BaselineConfig.DEFAULT.competenceDifficulty());
    }
}
