package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.HeldoutSplit;
import dev.curlab.data.Window;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class RhoLossSelectorTest {
    static final GptConfig TINY = new GptConfig("custom", 2, 32, 2, 16, 50);

    /** Windows of TINY's context: token 7 every 5 positions, seeded noise between. */
    public static List<Window> windows(long seed, int count) {
        Rng rng = new Rng(seed);
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[TINY.context() + 1];
            for (int j = 0; j < t.length; j++) {
                t[j] = (j % 5 == 0) ? 7 : rng.nextInt(TINY.vocab());
            }
            out.add(new Window(i, t, null, Double.NaN));
        }
        return out;
    }

    static SelectorContext context(List<Window> rewardPool, Path cache, NDManager manager) {
        BaselineConfig b = new BaselineConfig(0, 0, 0.01, 0, "auto", 4, 3, cache.toString(), 0, 10, 0.1, 0.2);
        return new SelectorContext(11, 4, TINY.dModel(), 20, manager, new SelectorSettings(1, null, b), Map.of(),
                TINY, rewardPool, Map.of("lr", 3e-3, "clip", 1.0, "weight_decay", 0.01, "microbatch", 8));
    }

    @Test
    void scoresAreLossMinusIndependentlyComputedIrreducibleLoss(@TempDir Path cache) throws Exception {
        List<Window> candidates = windows(2, 4);
        float[] loss = {3.0f, 5.0f, 4.0f, 4.5f};
        CandidateBatch batch = new CandidateBatch(0, candidates, loss, new float[4], null);
        try (NDManager manager = NDManager.newBaseManager();
             RhoLossSelector s = new RhoLossSelector(context(windows(1, 10), cache, manager))) {
            IrreducibleLossModel il = s.irreducibleLossModel();
            assertFalse(il.cached());
            assertTrue(Files.isRegularFile(il.file()), "the IL model is cached");

            // IL recomputed from the cached safetensors in a separate model.
            float[] expectedIl;
            try (Gpt2Model fresh = new Gpt2Model(TINY, 12345); NDManager step = fresh.manager().newSubManager()) {
                NDList saved = NDList.decode(step, new ByteArrayInputStream(Files.readAllBytes(il.file())));
                for (NDArray a : saved) {
                    fresh.parameters().get(a.getName()).set(a.toFloatArray());
                }
                List<int[]> tokens = new ArrayList<>();
                candidates.forEach(w -> tokens.add(w.tokens()));
                expectedIl = new WindowScorer(fresh).score(step, tokens, false, false).loss();
            }
            double[] score = s.scores(batch);
            int best = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(loss[i] - expectedIl[i], score[i], 1e-4, "candidate " + i);
                best = score[i] > score[best] ? i : best;
            }
            StepMetrics m = new StepMetrics();
            assertArrayEquals(new int[] {best}, s.select(batch, m).train());
            assertEquals(4L * 16, m.get("il_forward_tokens"));
            assertEquals(4L * 3 * 16, m.get("il_train_tokens"));   // il-steps x il-batch x T
            assertEquals(false, m.get("il_cached"));
        }
    }

    @Test
    void trainsOnlyOnTheRewardPoolSplitAndASecondRunReusesTheCache(@TempDir Path cache) {
        // A held-out file split as the trainer splits it: the IL model only ever sees the reward pool.
        HeldoutSplit split = HeldoutSplit.split(windows(3, 16), 4);
        List<Window> firstHalf = split.reward().subList(0, split.reward().size() / 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] first;
            try (RhoLossSelector s = new RhoLossSelector(context(split.reward(), cache, manager))) {
                List<Window> seen = s.irreducibleLossModel().trainedOn();
                assertFalse(seen.isEmpty());
                Set<Window> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
                allowed.addAll(firstHalf);
                for (Window w : seen) {
                    assertTrue(allowed.contains(w), "IL model trained on a window outside the reward split: " + w);
                    for (Window e : split.eval()) {
                        assertFalse(java.util.Arrays.equals(e.tokens(), w.tokens()), "IL model saw evaluation window " + e);
                    }
                }
                assertSame(firstHalf.get(0), s.irreducibleLossModel().split().get(0));
                first = s.scores(new CandidateBatch(0, split.eval(), new float[4], new float[4], null));
            }
            try (RhoLossSelector again = new RhoLossSelector(context(split.reward(), cache, manager))) {
                assertTrue(again.irreducibleLossModel().cached());
                assertTrue(again.irreducibleLossModel().trainedOn().isEmpty(), "a cached IL model is not retrained");
                assertArrayEquals(first, again.scores(new CandidateBatch(0, split.eval(), new float[4], new float[4], null)), 1e-6);
            }
        }
    }

    @Test
    void aRewardPoolOfOneWindowIsAUserError(@TempDir Path cache) {
        try (NDManager manager = NDManager.newBaseManager()) {
            UserError e = assertThrows(UserError.class, () -> new RhoLossSelector(context(windows(1, 1), cache, manager)));
            assertEquals("the irreducible-loss model (rho-loss; soft-q --q-prior reducible) trains on half of the held-out reward pool, which"
                    + " has 1 window(s); raise --heldout-windows to at least 2", e.getMessage());
        }
    }
}
