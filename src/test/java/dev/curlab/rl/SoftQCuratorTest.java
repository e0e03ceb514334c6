package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.select.softq.SoftQConfig;
import dev.curlab.util.Rng;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The soft-q curator with a scripted probe: the reward is the answer log-probability after the update
 * minus before it on the same fresh subset; the next step's TD target is (1 - gamma) r + gamma V with V
 * the soft value of the target network over the next candidates (equal to phi before the first update,
 * so its Q-values can be read through the core); picks are B distinct
 * candidates; a checkpoint through JSON continues with the same picks.
 */
class SoftQCuratorTest {
    static final int D = 3;
    static final int N = 6;
    static final double BETA = 0.5;
    static final double GAMMA = 0.8;

    /** The curator's settings with the raw reward (no standardisation) so that y can be checked by hand. */
    static final SoftQConfig RAW = SoftQConfig.builder().beta(BETA).gamma(GAMMA).tau(0.01).qLr(1e-3).qClip(1.0).qHidden(32)
            .qOptimizer("adam").softMixture(false).rewardNorm("none").exploreFloor(0.0)
            .qInitScale(1.0).features("hidden").replay(64).tdUpdates(1).replayBatch(1)
            .targetEntropy(0.0).credit("pick").prior("none").paperExact(false).nstep(1).build();

    /** Hidden rows from each problem's id; answer log-probs from a script, recording which subsets were scored. */
    static final class ScriptedProbe implements Curator.Probe {
        final Deque<Double> logProbs = new ArrayDeque<>();
        final List<List<Long>> scored = new ArrayList<>();

        @Override
        public double[] successRates(List<Problem> problems, int rollouts) {
            throw new AssertionError("soft-q does not roll out");
        }

        @Override
        public float[] promptHidden(List<Problem> problems) {
            float[] out = new float[problems.size() * D];
            for (int i = 0; i < problems.size(); i++) {
                Rng r = new Rng(problems.get(i).id());
                for (int j = 0; j < D; j++) {
                    out[i * D + j] = (float) (2 * r.nextDouble() - 1);
                }
            }
            return out;
        }

        @Override
        public int hiddenDim() {
            return D;
        }

        @Override
        public double[] answerLogProb(List<Problem> problems) {
            scored.add(problems.stream().map(Problem::id).toList());
            double v = logProbs.isEmpty() ? -1 : logProbs.poll();
            double[] out = new double[problems.size()];
            Arrays.fill(out, v);
            out[0] += 0.1;                                    // the mean is what counts: +0.1 / M on each pass
            return out;
        }
    }

    static List<Problem> candidates(long step) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            out.add(new Problem(step * N + i, "add", "1+1=", "2", Map.of()));
        }
        return out;
    }

    static SoftQCurator curator(ScriptedProbe probe, long seed) {
        return new SoftQCurator(probe, new ArithBank("builtin:arith", 3, 1), seed, RAW);
    }

    @Test
    void rewardIsTheAfterMinusBeforeLogProbOnOneFreshSubsetAndFeedsTheSoftBellmanTarget() {
        ScriptedProbe probe = new ScriptedProbe();
        SoftQCurator c = curator(probe, 1);
        probe.logProbs.addAll(List.of(-2.0, -1.25, -3.0, -2.5));
        int[] a = c.pick(0, candidates(0), 2, new Rng(0));
        assertEquals(2, Arrays.stream(a).distinct().count());
        c.observe(List.of(), new int[0], 4);
        assertEquals(0.75, (Double) c.metrics().get("curator_reward"), 1e-12, "-1.25 - (-2.0)");
        assertEquals(probe.scored.get(0), probe.scored.get(1), "before and after on the same subset");
        assertEquals(SoftQCurator.REWARD_PROBLEMS, probe.scored.get(0).size());

        // phibar = phi until the first update (none yet): V from phi's Q-values of the next candidates.
        double[] q = c.core().q(probe.promptHidden(candidates(1)), N, 1);
        c.pick(1, candidates(1), 2, new Rng(0));
        Map<String, Object> m = c.metrics();
        double s = 0;
        for (double v : q) {
            s += Math.exp(v / BETA);
        }
        assertTrue(m.containsKey("curator_td_target"), m.toString());
        double v = BETA * Math.log(s);
        assertEquals(v, (Double) m.get("curator_soft_value"), 1e-9, "V over the next candidates, eq. 4");
        assertEquals((1 - GAMMA) * 0.75 + GAMMA * (Double) m.get("curator_soft_value"), (Double) m.get("curator_td_target"), 1e-9);
        assertFalse(probe.scored.get(2).equals(probe.scored.get(0)), "a fresh subset each step");
        c.observe(List.of(), new int[0], 4);
        assertEquals(0.5, (Double) c.metrics().get("curator_reward"), 1e-12);
    }

    @Test
    void aCheckpointThroughJsonContinuesWithTheSamePicks() throws Exception {
        ScriptedProbe pa = new ScriptedProbe();
        ScriptedProbe pb = new ScriptedProbe();
        SoftQCurator a = curator(pa, 7);
        for (int k = 0; k < 4; k++) {
            pa.logProbs.addAll(List.of(-1.0, -1.0 + 0.1 * k));
            a.pick(k, candidates(k), 3, new Rng(0));
            a.observe(List.of(), new int[0], 4);
        }
        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> state = json.readValue(json.writeValueAsString(a.save()), Map.class);
        SoftQCurator b = curator(pb, 7);
        b.restore(state);
        for (int k = 4; k < 8; k++) {
            pa.logProbs.addAll(List.of(-1.0, -0.9 - 0.05 * k));
            pb.logProbs.addAll(List.of(-1.0, -0.9 - 0.05 * k));
            assertArrayEquals(a.pick(k, candidates(k), 3, new Rng(0)), b.pick(k, candidates(k), 3, new Rng(0)), "step " + k);
            a.observe(List.of(), new int[0], 4);
            b.observe(List.of(), new int[0], 4);
            assertEquals(a.metrics(), b.metrics(), "step " + k);
        }
        assertEquals(pa.scored.subList(pa.scored.size() - 8, pa.scored.size()), pb.scored, "the reward stream resumes in place");
    }

    @Test
    void theTdTargetBootstrapsFromTheTargetNetworkNotTheOnlineOne() {
        // one transition kept (the newest), one TD update a step, tau 0.5 and a large eta: phibar lags phi visibly
        SoftQConfig lagging = SoftQConfig.builder().beta(BETA).gamma(GAMMA).tau(0.5).qLr(0.5).qClip(0.0).qHidden(32)
                .qOptimizer("adam").softMixture(false).rewardNorm("none").exploreFloor(0.0)
                .qInitScale(1.0).features("hidden").replay(1).tdUpdates(1).replayBatch(1)
                .targetEntropy(0.0).credit("pick").prior("none").paperExact(false).nstep(1).build();
        ScriptedProbe probe = new ScriptedProbe();
        SoftQCurator c = new SoftQCurator(probe, new ArithBank("builtin:arith", 3, 1), 2, lagging);
        probe.logProbs.addAll(List.of(-2.0, -1.0, -2.0, -1.5, -2.0, -1.0));
        c.pick(0, candidates(0), 2, new Rng(0));
        c.observe(List.of(), new int[0], 4);                      // r0 = 1
        c.pick(1, candidates(1), 2, new Rng(0));                  // first TD update, then phibar <- (phi + phibar) / 2
        c.observe(List.of(), new int[0], 4);                      // r1 = 0.5
        float[] x2 = probe.promptHidden(candidates(2));
        double vTarget = softValue(c.core().targetQ(x2, N, 2));
        double vOnline = softValue(c.core().q(x2, N, 2));
        assertTrue(Math.abs(vTarget - vOnline) > 1e-4, "the test needs phibar != phi: " + vTarget + " vs " + vOnline);
        c.pick(2, candidates(2), 2, new Rng(0));
        Map<String, Object> m = c.metrics();
        assertEquals(vTarget, (Double) m.get("curator_soft_value"), 1e-6, "V over the next candidates from phibar");
        assertEquals((1 - GAMMA) * 0.5 + GAMMA * vTarget, (Double) m.get("curator_td_target"), 1e-6, "y = (1 - gamma) r + gamma V_phibar");
    }

    static double softValue(double[] q) {
        double s = 0;
        for (double v : q) {
            s += Math.exp(v / BETA);
        }
        return BETA * Math.log(s);
    }
}
