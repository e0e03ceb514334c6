package dev.curlab.train;

import dev.curlab.run.CheckpointStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The values the training loop computes, read back from a real run rather than only the presence of
 * their keys: the clip reaches the gradient step, the eq. 1 reward is the held-out log-probability
 * (negative), and the paired-delta reward is after minus before.
 */
class TrainingLoopValuesTest {
    @TempDir
    Path tmp;

    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(RunFiles.tinyArgs(out, 3));
        a.addAll(List.of(extra));
        return a;
    }

    private static List<Map<String, Object>> steps(Path run) {
        return RunFiles.metricsWithoutTimes(run).stream().filter(m -> "step".equals(m.get("kind"))).toList();
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * With plain SGD at a constant rate, theta_3 - theta_2 = -lr g_3 once g_3 is clipped to norm G:
     * the update's length over lr is min(grad_norm, G). Without the clip it would be grad_norm.
     */
    @Test
    void theClipReachesTheGradientStep() {
        Path out = tmp.resolve("clip");
        double clip = 0.05;
        double lr = 0.01;
        assertEquals(0, Main.run(args(out, "--optimizer", "sgd", "--lr", String.valueOf(lr), "--clip", String.valueOf(clip),
                "--selector", "random", "--checkpoint-every", "1").toArray(String[]::new)));
        Map<String, Object> third = steps(out).get(2);
        double gradNorm = num(third, "grad_norm");
        assertTrue(gradNorm > 4 * clip, "the test needs a gradient above the clip, got " + gradNorm);
        CheckpointStore store = new CheckpointStore(out);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> a = CheckpointStore.load(store.root().resolve("step-00000002"), m).tensors().get("model");
            Map<String, NDArray> b = CheckpointStore.load(store.root().resolve("step-00000003"), m).tensors().get("model");
            double sq = 0;
            for (Map.Entry<String, NDArray> e : b.entrySet()) {
                float[] x = e.getValue().toFloatArray();
                float[] y = a.get(e.getKey()).toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    sq += (double) (x[i] - y[i]) * (x[i] - y[i]);
                }
            }
            double stepLength = Math.sqrt(sq) / lr;
            assertEquals(clip, stepLength, 0.02 * clip, "update length / lr must be the clipped norm, not " + gradNorm);
        }
    }

    /** eq. 1: r_k is the mean held-out log-probability after the update, a negative number, not its negation. */
    @Test
    void theAbsoluteRewardIsTheHeldoutLogProbability() {
        Path out = tmp.resolve("absolute");
        assertEquals(0, Main.run(args(out, "--selector", "random", "--reward", "absolute", "--eval-every", "1").toArray(String[]::new)));
        for (Map<String, Object> s : steps(out)) {
            double r = num(s, "reward");
            assertTrue(r < 0, "a log-probability is negative: " + s);
            assertEquals(num(s, "heldout_logprob"), r, 0.0, "eq. 1's reward is the held-out log-probability: " + s);
            assertTrue(r > -Math.log(256) - 1, "near or above the uniform byte model's log-probability: " + s);
        }
    }

    /**
     * With M equal to the whole held-out pool, D^_k is the pool at every step, so the paired reward's
     * "before" of step k is step k-1's "after" (the same parameters on the same windows): r_k must be
     * heldout_logprob_k - heldout_logprob_{k-1}.
     */
    @Test
    void thePairedDeltaIsAfterMinusBefore() {
        Path out = tmp.resolve("paired");
        List<String> a = args(out, "--selector", "random", "--reward", "paired-delta", "--eval-every", "1", "--lr", "3e-3");
        int i = a.indexOf("--heldout-windows");
        a.set(i + 1, "4");                                                     // the pool is exactly M = 4 windows
        assertEquals(0, Main.run(a.toArray(String[]::new)));
        List<Map<String, Object>> s = steps(out);
        for (int k = 1; k < s.size(); k++) {
            double expected = num(s.get(k), "heldout_logprob") - num(s.get(k - 1), "heldout_logprob");
            assertTrue(Math.abs(expected) > 1e-4, "the test needs the held-out log-probability to move: " + s.get(k));
            assertEquals(expected, num(s.get(k), "reward"), 1e-4, "reward = after - before at step " + (k + 1));
        }
    }
}
