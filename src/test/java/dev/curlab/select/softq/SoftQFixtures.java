package dev.curlab.select.softq;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Window;
import dev.curlab.model.GptConfig;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders shared by the soft-q tests. */
final class SoftQFixtures {
    static final String[] SOURCES = {"arithmetic", "noise", "grammar", "copy"};

    private SoftQFixtures() {
    }

    /** The paper's config with the given beta, gamma, tau, eta, optimizer and soft-mixture flag. */
    static SoftQConfig config(double beta, double gamma, double tau, double qLr, String opt, boolean mixture) {
        return SoftQConfig.PAPER.toBuilder().beta(beta).gamma(gamma).tau(tau).qLr(qLr).qOptimizer(opt).softMixture(mixture).build();
    }

    /**
     * The product defaults without what needs a language model: the paper's pick credit instead of
     * first-order credit (which reads the scorer's alignments) and no reducible-loss prior (which
     * trains an irreducible-loss model on held-out windows).
     */
    static SoftQConfig defaultsWithoutModel() {
        return SoftQConfig.DEFAULT.toBuilder().credit("pick").prior("none").build();
    }

    static SoftQSelector selector(NDManager m, SoftQConfig cfg, int selectBatch, int n, int d, long seed) {
        SelectorContext c = new SelectorContext(seed, n, d, 100, m, new SelectorSettings(selectBatch, cfg, null),
                Map.of(), new GptConfig("custom", 1, d, 1, 4, 8), List.of(), Map.of());
        return new SoftQSelector(c);
    }

    /** N seeded hidden states of width d (values in [-1, 1]). */
    static float[] hidden(long seed, int n, int d) {
        Rng rng = new Rng(seed);
        float[] h = new float[n * d];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return h;
    }

    /** A candidate batch of step k with the given hidden states; sources cycle through {@link #SOURCES}. */
    static CandidateBatch batch(NDManager m, long k, float[] hidden, int n, int d) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            windows.add(new Window(k * n + i, new int[] {1, 2, 3}, SOURCES[i % SOURCES.length], Double.NaN));
        }
        return new CandidateBatch(k, windows, new float[n], new float[n], m.create(hidden, new Shape(n, d)));
    }

    /** One full selector step (learn, select, observe) on a batch with a given reward. */
    static Selection step(SoftQSelector s, CandidateBatch b, double reward) {
        StepMetrics m = new StepMetrics();
        s.learn(b, m);
        Selection sel = s.select(b, m);
        s.observe(new Outcome(b.step(), reward, 0, sel, b), m);
        return sel;
    }
}
