package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Window;
import dev.curlab.model.GptConfig;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.StepMetrics;
import dev.curlab.select.baselines.BaselineConfig;
import dev.curlab.select.baselines.IrreducibleLossModel;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --q-prior reducible: the policy is softmax((q + beta z(L - IL) / 0.1) / beta), RHO-LOSS's preference plus Q. */
class SoftQPriorTest {
    private static final GptConfig TINY = new GptConfig("custom", 2, 32, 2, 16, 50);

    private static List<Window> windows(long seed, int count) {
        Rng rng = new Rng(seed);
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] t = new int[TINY.context() + 1];
            for (int j = 0; j < t.length; j++) {
                t[j] = (j % 5 == 0) ? 7 : rng.nextInt(TINY.vocab());
            }
            out.add(new Window(i, t, "s" + (i % 2), Double.NaN));
        }
        return out;
    }

    private static SoftQConfig prior(double qInitScale, double gamma) {
        return new SoftQConfig(0.1, gamma, 0.01, 1e-3, 1.0, 8, "adam", false, "ema", 0.0, qInitScale,
                "hidden+loss", 16, 1, 4, 0.0, "pick", "reducible", false);
    }

    private static SelectorContext context(SoftQConfig cfg, Path cache, NDManager manager) {
        BaselineConfig b = new BaselineConfig(0, 0, 0.01, 0, "auto", 4, 3, cache.toString(), 0, 10, 0.1, 0.2);
        return new SelectorContext(11, 4, TINY.dModel(), 20, manager, new SelectorSettings(1, cfg, b), Map.of(),
                TINY, windows(1, 10), Map.of("lr", 3e-3, "clip", 1.0, "weight_decay", 0.01, "microbatch", 8));
    }

    @Test
    void withAZeroQThePolicyLogitsAreTheScaledZScoredReducibleLoss(@TempDir Path cache) {
        List<Window> candidates = windows(2, 4);
        float[] loss = {3.0f, 5.0f, 4.0f, 4.5f};
        try (NDManager manager = NDManager.newBaseManager();
             SoftQSelector s = new SoftQSelector(context(prior(0.0, 0.0), cache, manager));
             IrreducibleLossModel il = IrreducibleLossModel.of(context(prior(0.0, 0.0), cache, manager))) {
            assertTrue(il.cached(), "the same IL model, from the cache the selector wrote");
            List<int[]> tokens = new ArrayList<>();
            candidates.forEach(w -> tokens.add(w.tokens()));
            float[] irreducible = il.loss(tokens);
            float[] reducible = new float[4];
            for (int i = 0; i < 4; i++) {
                reducible[i] = loss[i] - irreducible[i];
            }
            float[] z = CandidateFeatures.zScore(reducible);
            CandidateBatch batch = new CandidateBatch(0, candidates, loss, null,
                    manager.create(new float[4 * TINY.dModel()], new Shape(4, TINY.dModel())));
            StepMetrics m = new StepMetrics();
            s.learn(batch, m);
            s.select(batch, m);
            double[] logits = m.candidateValues();
            double sumPi = 0;
            double[] pi = SoftQMath.boltzmann(logits, 0.1);
            for (int i = 0; i < 4; i++) {
                assertEquals(0.1 * z[i] / 0.1, logits[i], 1e-5, "candidate " + i); // q = 0: only the prior
                sumPi += pi[i];
            }
            assertEquals(1.0, sumPi, 1e-9);
            int top = 0;
            for (int i = 1; i < 4; i++) {
                top = reducible[i] > reducible[top] ? i : top;
            }
            for (int i = 0; i < 4; i++) {
                assertTrue(pi[top] >= pi[i], "the highest reducible loss is the most likely pick");
            }
            assertEquals(4L * 3 * TINY.context(), m.get("il_train_tokens"), "charged like rho-loss: --il-steps 4 x --il-batch 3 windows");
            assertEquals(4L * TINY.context(), m.get("il_forward_tokens"));
        }
    }

    @Test
    void thePriorNeedsTheBanditCase() {
        UserError e = assertThrows(UserError.class, () -> prior(0.01, 0.9));
        assertTrue(e.getMessage().startsWith("--q-prior reducible needs --gamma 0"), e.getMessage());
    }
}
