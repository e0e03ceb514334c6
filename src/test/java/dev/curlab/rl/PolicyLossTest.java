package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.optim.Gradients;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy-gradient loss against an independent per-sequence computation; backward leaves native memory flat. */
class PolicyLossTest {

    /** -A/tokens * sum of log pi(completion token | prefix), one unpadded sequence at a time, log-softmax in Java. */
    static double independent(Gpt2Model model, List<PolicyLoss.Sample> samples, long tokens) {
        return independent(model, samples, tokens, 1.0);
    }

    /** The same with pi = softmax(logits / T). */
    static double independent(Gpt2Model model, List<PolicyLoss.Sample> samples, long tokens, double temperature) {
        double total = 0;
        for (PolicyLoss.Sample s : samples) {
            int[] full = new int[s.prompt().length + s.completion().length];
            System.arraycopy(s.prompt(), 0, full, 0, s.prompt().length);
            System.arraycopy(s.completion(), 0, full, s.prompt().length, s.completion().length);
            try (NDManager m = model.manager().newSubManager()) {
                long[] ids = java.util.Arrays.stream(full).asLongStream().toArray();
                NDArray h = model.hiddenForScoring(m, m.create(ids, new Shape(1, full.length)));
                NDArray logits = model.logits(m, h);
                for (int j = 0; j < s.completion().length; j++) {
                    int pos = s.prompt().length - 1 + j;
                    float[] raw = logits.get(new NDIndex("0, " + pos + ", :")).toFloatArray();
                    double[] row = new double[raw.length];
                    for (int v = 0; v < raw.length; v++) {
                        row[v] = raw[v] / temperature;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (double v : row) {
                        max = Math.max(max, v);
                    }
                    double z = 0;
                    for (double v : row) {
                        z += Math.exp(v - max);
                    }
                    double logp = row[s.completion()[j]] - max - Math.log(z);
                    total -= s.advantage() * logp / tokens;
                }
            }
        }
        return total;
    }

    @Test
    void lossMatchesAnIndependentComputationAndBackwardKeepsMemoryFlat() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, 257), 5)) {
            List<PolicyLoss.Sample> samples = List.of(
                    new PolicyLoss.Sample(new int[] {256, 49, 43, 49, 61}, new int[] {50, 256}, 1.5),
                    new PolicyLoss.Sample(new int[] {256, 49, 43, 49, 61}, new int[] {51, 10}, -1.5),
                    new PolicyLoss.Sample(new int[] {256, 114, 61}, new int[] {97, 98, 99, 256}, 0.5));
            long tokens = PolicyLoss.completionTokens(samples);
            int length = PolicyLoss.length(samples);
            double want = independent(model, samples, tokens);
            int live = -1;
            for (int k = 0; k < 4; k++) {
                Gradients.zero(model.parameters().values());
                try (NDManager sm = model.manager().newSubManager()) {
                    NDArray w = sm.create(PolicyLoss.weights(samples, length, tokens)).reshape(samples.size(), length - 1);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = PolicyLoss.loss(sm, model, samples, length, 1.0, w);
                        System.gc();
                        gc.backward(loss);
                        assertEquals(want, loss.getFloat(), 1e-5);
                    }
                }
                assertTrue(Gradients.globalNorm(model.parameters().values()) > 0);
                int now = model.manager().getManagedArrays().size();
                live = k == 0 ? now : live;
                assertEquals(live, now, "live arrays after update " + k);
            }
        }
    }

    @Test
    void k3MatchesHandComputedValues() {
        // pi = 0.5, pi_ref = 0.25: r = 0.5, k3 = 0.5 - ln 0.5 - 1 = 0.193147...
        assertEquals(0.5 + Math.log(2) - 1, PolicyLoss.k3(Math.log(0.5), Math.log(0.25)), 1e-12);
        assertEquals(0.1931471805599453, PolicyLoss.k3(Math.log(0.5), Math.log(0.25)), 1e-12);
        // pi = 0.2, pi_ref = 0.6: r = 3, k3 = 3 - ln 3 - 1 = 0.901388...
        assertEquals(0.9013877113318902, PolicyLoss.k3(Math.log(0.2), Math.log(0.6)), 1e-12);
        assertEquals(0, PolicyLoss.k3(-1.7, -1.7), 0);
    }

    /** The same sum of k3 over completion tokens, from two independently run models, times beta / tokens. */
    static double independentKl(Gpt2Model model, Gpt2Model ref, List<PolicyLoss.Sample> samples, long tokens) {
        double total = 0;
        for (PolicyLoss.Sample s : samples) {
            for (int j = 0; j < s.completion().length; j++) {
                PolicyLoss.Sample one = new PolicyLoss.Sample(s.prompt(), s.completion(), 1);
                double[] lp = tokenLogProbs(model, one);
                double[] lr = tokenLogProbs(ref, one);
                total += PolicyLoss.k3(lp[j], lr[j]);
            }
        }
        return total / tokens;
    }

    private static double[] tokenLogProbs(Gpt2Model model, PolicyLoss.Sample s) {
        double[] out = new double[s.completion().length];
        for (int j = 0; j < out.length; j++) {
            int[] cut = java.util.Arrays.copyOf(s.completion(), j + 1);
            // -independent(...) with advantage 1 and tokens 1 of the completion cut at j, minus the part before j
            double upTo = -independent(model, List.of(new PolicyLoss.Sample(s.prompt(), cut, 1)), 1);
            double before = j == 0 ? 0 : -independent(model, List.of(new PolicyLoss.Sample(s.prompt(), java.util.Arrays.copyOf(cut, j), 1)), 1);
            out[j] = upTo - before;
        }
        return out;
    }

    @Test
    void klPenaltyAddsBetaTimesMeanK3AndVanishesAtTheReference() {
        double beta = 0.3;
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, 257), 5);
                Gpt2Model ref = new Gpt2Model(GptConfig.preset("nano", 32, 257), 6);
                Gpt2Model same = new Gpt2Model(GptConfig.preset("nano", 32, 257), 7)) {
            same.copyFrom(model);
            List<PolicyLoss.Sample> samples = List.of(
                    new PolicyLoss.Sample(new int[] {256, 49, 43, 49, 61}, new int[] {50, 256}, 1.5),
                    new PolicyLoss.Sample(new int[] {256, 114, 61}, new int[] {97, 98, 99, 256}, -0.5));
            long tokens = PolicyLoss.completionTokens(samples);
            int length = PolicyLoss.length(samples);
            double pg = independent(model, samples, tokens);
            double kl = independentKl(model, ref, samples, tokens);
            assertTrue(kl > 0.01, "two random models differ: " + kl);
            for (Gpt2Model r : List.of(ref, same)) {
                Gradients.zero(model.parameters().values());
                try (NDManager sm = model.manager().newSubManager()) {
                    NDArray w = sm.create(PolicyLoss.weights(samples, length, tokens)).reshape(samples.size(), length - 1);
                    NDArray refLogp = PolicyLoss.logProbs(sm, r, samples, length, 1.0, false);
                    NDArray klw = sm.create(PolicyLoss.klWeights(samples, length, tokens, beta)).reshape(samples.size(), length - 1);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        PolicyLoss.Terms t = PolicyLoss.loss(sm, model, samples, length, 1.0, w, refLogp, klw);
                        System.gc();
                        gc.backward(t.loss());
                        double wantKl = r == same ? 0 : beta * kl;
                        assertEquals(wantKl, t.kl().getFloat(), 1e-5);
                        assertEquals(pg + wantKl, t.loss().getFloat(), 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void tokenLogProbsDivideTheLogitsByTheTemperature() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0f, (float) Math.log(3), 1f, 2f, 4f, 0f}, new Shape(2, 1, 3));
            NDArray targets = m.create(new long[] {1, 0}, new Shape(2, 1));
            // T = 2: row 0 [0, ln 3, 1] / 2 -> log(sqrt 3 / (1 + sqrt 3 + e^0.5)); row 1 [2, 4, 0] / 2 -> 1 - log(e + e^2 + 1)
            float[] t2 = PolicyLoss.tokenLogProbs(m, logits, targets, 2.0).toFloatArray();
            assertEquals(0.5 * Math.log(3) - Math.log(1 + Math.sqrt(3) + Math.exp(0.5)), t2[0], 1e-5);
            assertEquals(-1.4076059644443801, t2[1], 1e-5);
            // T = 0.5: row 1 [4, 8, 0] -> 4 - log(e^4 + e^8 + 1); T = 1: row 1 -> 2 - log(e^2 + e^4 + 1)
            assertEquals(-4.018479302594656, PolicyLoss.tokenLogProbs(m, logits, targets, 0.5).toFloatArray()[1], 1e-5);
            assertEquals(-2.1429316284998996, PolicyLoss.tokenLogProbs(m, logits, targets, 1.0).toFloatArray()[1], 1e-5);
        }
    }

    @Test
    void lossAtATemperatureScoresTheSamplersDistribution() {
        double tau = 0.5;
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, 257), 5)) {
            List<PolicyLoss.Sample> samples = List.of(
                    new PolicyLoss.Sample(new int[] {256, 49, 43, 49, 61}, new int[] {50, 256}, 1.5),
                    new PolicyLoss.Sample(new int[] {256, 114, 61}, new int[] {97, 98, 99, 256}, -0.5));
            long tokens = PolicyLoss.completionTokens(samples);
            int length = PolicyLoss.length(samples);
            double want = independent(model, samples, tokens, tau);
            assertTrue(Math.abs(want - independent(model, samples, tokens, 1.0)) > 1e-3, "T changes the loss");
            Gradients.zero(model.parameters().values());
            try (NDManager sm = model.manager().newSubManager()) {
                NDArray w = sm.create(PolicyLoss.weights(samples, length, tokens)).reshape(samples.size(), length - 1);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = PolicyLoss.loss(sm, model, samples, length, tau, w);
                    System.gc();
                    gc.backward(loss);
                    assertEquals(want, loss.getFloat(), 1e-5);
                }
                // pi_T of the first completion token is the sampler's probability of drawing it at T
                NDArray logp = PolicyLoss.logProbs(sm, model, samples, length, tau, false);       // (S, L-1)
                PolicyLoss.Sample s0 = samples.get(0);
                long[] ids = java.util.Arrays.stream(s0.prompt()).asLongStream().toArray();
                NDArray h = model.hiddenForScoring(sm, sm.create(ids, new Shape(1, ids.length)));
                float[] last = model.logits(sm, h).get(new NDIndex("0, -1, :")).toFloatArray();
                double sampler = Sampler.probabilities(last, tau)[s0.completion()[0]];
                assertEquals(sampler, Math.exp(logp.getFloat(0, s0.prompt().length - 1)), 1e-6);
            }
            assertTrue(Gradients.globalNorm(model.parameters().values()) > 0);
        }
    }
}
