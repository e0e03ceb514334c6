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
                    float[] row = logits.get(new NDIndex("0, " + pos + ", :")).toFloatArray();
                    double max = Double.NEGATIVE_INFINITY;
                    for (float v : row) {
                        max = Math.max(max, v);
                    }
                    double z = 0;
                    for (float v : row) {
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
                        NDArray loss = PolicyLoss.loss(sm, model, samples, length, w);
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
}
