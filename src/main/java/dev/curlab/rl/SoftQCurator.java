package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.select.softq.SoftQConfig;
import dev.curlab.select.softq.SoftQCore;
import dev.curlab.select.softq.SoftQMath;
import dev.curlab.util.Rng;
import dev.curlab.util.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code soft-q}: the paper's algorithm (Algorithm 1) applied to problems, on the same Q-learning core
 * as the windows' selector ({@link SoftQCore}). The state is the step's N candidate problems, each
 * read as the current policy's detached last-token hidden state of its prompt h_x; Q_phi(h_x) is a
 * two-layer MLP; the policy is softmax(q / beta) over the N, from which B distinct problems are drawn
 * (Gumbel-top-k); the soft Bellman target y = (1 - gamma) r + gamma beta log sum exp(qbar / beta)
 * bootstraps from a Polyak-averaged target network over the next step's candidates.
 *
 * <p>The reward of a step is measured after the policy's update on a fresh held-out subset: the mean
 * over {@link #REWARD_PROBLEMS} problems of the change in mean log-probability per token of their
 * reference answers, after the update minus before it (the same subset, so it is a paired difference,
 * as the selector's paired-delta reward). A log-probability rather than a pass rate because a small
 * policy's sampled pass rate on a few problems is mostly 0 or 1 and moves in steps of 1/M, while the
 * answer's log-probability is dense, moves with every update, and needs no sampling: two teacher-forced
 * passes of M short sequences per step instead of M x G rollouts. The subset comes from a second stream
 * of the same bank under its own seed: fresh generated problems for {@code builtin:arith}, the training
 * pool in another order for a {@code .jsonl} bank; never the evaluation set.
 *
 * <p>Every picked problem gets a transition with the step's reward (pick credit). Its extra passes (the
 * N prompts' hidden states and the two answer passes) are charged to the curator's FLOPs by the probe;
 * the Q-network's own arithmetic (about 2 x 3 x C x 32 per row and update) is not.
 */
public final class SoftQCurator implements Curator {
    /** Problems of the fresh held-out subset that each step's reward is measured on. */
    public static final int REWARD_PROBLEMS = 16;

    /**
     * The curator's Q-learning settings: the paper's gamma 0.9, tau 0.01, eta 1e-3, G_q 1 and width 32;
     * beta 0.3 over rewards standardised by a moving mean and variance; a near-zero output layer so the
     * policy starts uniform; two TD updates per step on minibatches of 16 from the last 64 transitions.
     */
    public static final SoftQConfig SETTINGS = SoftQConfig.builder().gamma(0.9).features("hidden").replay(64).tdUpdates(2)
            .replayBatch(16).credit("pick").prior("none").build();

    private final Probe probe;
    private final ProblemBank rewardBank;
    private final NDManager manager;
    private final SoftQCore core;
    private List<Problem> rewardSet = List.of();
    private double before = Double.NaN;                  // mean answer log-prob of the subset before the update
    private final Map<String, Object> last = new LinkedHashMap<>();

    public SoftQCurator(RlConfig cfg, Probe probe) {
        this(probe, Banks.open(cfg, Rng.derive(cfg.seed(), "rl/soft-q/reward-bank").nextLong()),
                cfg.seed(), SETTINGS);
    }

    /** A curator over a given reward stream (tests). */
    SoftQCurator(Probe probe, ProblemBank rewardBank, long seed, SoftQConfig settings) {
        this.probe = probe;
        this.rewardBank = rewardBank;
        this.manager = NDManager.newBaseManager();
        this.core = new SoftQCore(manager, settings, probe.hiddenDim(), seed, "rl/soft-q");
    }

    @Override
    public String name() {
        return "soft-q";
    }

    /** Lines 12-23 of Algorithm 1 for the step's candidates, then the reward subset's "before" pass. */
    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        int n = candidates.size();
        float[] x = probe.promptHidden(candidates);                              // H_k (N, C)
        double[] q = core.q(x, n, step);                                         // q_k <- Q_phi(H_k), before the update
        last.clear();
        SoftQCore.TdReport td = core.learn(step, x, n, null);                    // the previous picks' transitions, TD steps
        double[] pi = core.boltzmann(q);                                         // eq. 6
        int[] a = core.act(pi, b);                                               // B distinct problems
        core.pend(x, a, pi, null, a[0]);
        putMetrics(q, pi, a, td);
        rewardSet = new ArrayList<>(REWARD_PROBLEMS);
        for (int i = 0; i < REWARD_PROBLEMS; i++) {
            rewardSet.add(rewardBank.next());
        }
        before = Stats.mean(probe.answerLogProb(rewardSet));
        return a;
    }

    /** Line 27: r = (answer log-prob after the update) - (before), on the same fresh subset. */
    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
        double r = Stats.mean(probe.answerLogProb(rewardSet)) - before;
        last.put("curator_reward", r);
        if (!Double.isFinite(r) || core.pendingRows() == 0) {
            core.skip();
            return;
        }
        core.reward(r);
    }

    private void putMetrics(double[] q, double[] pi, int[] a, SoftQCore.TdReport td) {
        double mean = 0;
        for (double v : q) {
            mean += v;
        }
        mean /= q.length;
        double var = 0;
        double selected = 0;
        for (double v : q) {
            var += (v - mean) * (v - mean);
        }
        for (int i : a) {
            selected += q[i];
        }
        last.put("curator_q_mean", mean);
        last.put("curator_q_std", Math.sqrt(var / q.length));
        last.put("curator_q_selected", selected / a.length);
        last.put("curator_policy_entropy_norm", q.length > 1 ? SoftQMath.entropy(pi) / Math.log(q.length) : 1.0);
        if (td != null) {
            last.put("curator_td_loss", td.loss());
            last.put("curator_td_target", td.target());
            last.put("curator_soft_value", td.softValue());
        }
    }

    @Override
    public Map<String, Object> metrics() {
        return new LinkedHashMap<>(last);
    }

    // ----------------------------------------------------------------------------------------------
    // Checkpoints: the core's values and tensors (as JSON lists of floats) and the reward stream's position
    // ----------------------------------------------------------------------------------------------

    @Override
    public Map<String, Object> save() {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, NDArray> t = new LinkedHashMap<>();
        core.save(v, t);
        Map<String, Object> tensors = new LinkedHashMap<>();
        t.forEach((name, a) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("shape", java.util.Arrays.stream(a.getShape().getShape()).boxed().toList());
            List<Double> data = new ArrayList<>();
            for (float f : a.toFloatArray()) {
                data.add((double) f);                                            // exact: float -> double -> float
            }
            e.put("data", data);
            tensors.put(name, e);
        });
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("core", v);
        s.put("tensors", tensors);
        s.put("reward_bank_position", rewardBank.position());
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        try (NDManager tmp = manager.newSubManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            ((Map<String, Object>) state.get("tensors")).forEach((name, o) -> {
                Map<String, Object> e = (Map<String, Object>) o;
                long[] shape = ((List<Number>) e.get("shape")).stream().mapToLong(Number::longValue).toArray();
                List<Number> data = (List<Number>) e.get("data");
                float[] f = new float[data.size()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = data.get(i).floatValue();
                }
                t.put(name, tmp.create(f, new Shape(shape)));
            });
            core.restore((Map<String, Object>) state.get("core"), t);
        }
        rewardBank.skipTo(((Number) state.get("reward_bank_position")).longValue());
    }

    /** The core, for tests. */
    SoftQCore core() {
        return core;
    }
}
