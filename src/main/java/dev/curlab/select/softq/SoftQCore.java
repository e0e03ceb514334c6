package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQMath.softValue;
import static dev.curlab.select.softq.SoftQMath.tdTarget;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.Gradients;
import dev.curlab.optim.Optimizer;
import dev.curlab.optim.Sgd;
import dev.curlab.select.softq.ReplayBuffer.Transition;
import dev.curlab.util.Rng;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Q-learning core of Algorithm 1, with no knowledge of what an action is: rows of F floats in,
 * Q-values, a Boltzmann policy, the pending transition(s) and the TD updates out. It holds the online
 * network phi, the target network phibar (never seen by the optimizer), phi's optimizer, the replay
 * buffer, the reward standardisation, the temperature beta and the n-step chain. The windows'
 * selector ({@link SoftQSelector}) and the RL problems' curator ({@code dev.curlab.rl.SoftQCurator})
 * are adapters that turn their candidates into rows and their outcomes into rewards.
 *
 * <p>It reads the learning options of {@link SoftQConfig} (beta, gamma, tau, eta, G_q, width, optimizer,
 * reward norm, explore floor, init scale, replay, TD updates, target entropy, n-step); the rest
 * (features, credit, prior, mixture) are the adapters'.
 *
 * <p>Dimension letters: N candidates of a step, F width of a row, B rows of a replay minibatch.
 */
public final class SoftQCore implements AutoCloseable {
    /** Step size of log beta when beta tracks --target-entropy (per step, per unit of normalised entropy). */
    public static final double BETA_LR = 0.05;
    private final SoftQConfig cfg;
    private final int f;
    private final NDManager manager;
    private final QNetwork online;       // phi
    private final QNetwork target;       // phibar
    private final Optimizer optimizer;   // on phi only
    private final Rng rng;               // the policy's draws
    private final Rng replayRng;
    private final RewardNorm rewardNorm;
    private final ReplayBuffer replay;
    private final NStepReturns nstep;    // n > 1: picks waiting for their n-step return, else null
    private double rhoPrev;              // log pi(a)/pi0(a) of the pending pick (n-step's soft-value term)
    private double beta;
    private float[] xPrev;               // (P * F) rows of the pending action(s)
    private double[] rPrev;              // their rewards (after the reward norm), null until rewarded
    private long qUpdates;
    private NDManager saved;             // the arrays handed out by the last save()

    /**
     * A core whose generators derive from {@code seed} and {@code name}: the policy's from {@code name},
     * the replay's from {@code name + "/replay"}, the networks' init from {@code name + "/init"}.
     */
    public SoftQCore(NDManager parent, SoftQConfig cfg, int inputDim, long seed, String name) {
        this.cfg = cfg;
        this.f = inputDim;
        this.manager = parent.newSubManager();
        this.rng = Rng.derive(seed, name);
        this.replayRng = Rng.derive(seed, name + "/replay");
        this.replay = new ReplayBuffer(cfg.replay());
        this.nstep = cfg.nstep() > 1 ? new NStepReturns(cfg.nstep(), cfg.gamma()) : null;
        this.beta = cfg.beta();
        this.rewardNorm = new RewardNorm(cfg.rewardNorm().spelling());
        Rng init = Rng.derive(seed, name + "/init");
        this.online = new QNetwork(manager, f, cfg.qHidden(), init, cfg.qInitScale(), true);
        this.target = new QNetwork(manager, f, cfg.qHidden(), init, 1, false);
        target.copyFrom(online);                                                 // line 1: phibar <- phi
        if (cfg.qOptimizer() == SoftQConfig.QOptimizer.SGD) {
            this.optimizer = new Sgd();
        } else {
            AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0);
            adam.prepare(online.parameters());
            this.optimizer = adam;
        }
    }

    /** Width F of a row. */
    public int inputDim() {
        return f;
    }

    /** The current temperature beta. */
    public double beta() {
        return beta;
    }

    /** Q updates made so far. */
    public long qUpdates() {
        return qUpdates;
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 13-20: q_k, then the TD update(s)
    // ----------------------------------------------------------------------------------------------

    /** q = Q_phi(x) of {@code rows} rows (line 13); a NaN or infinity stops the run. */
    public double[] q(float[] x, int rows, long k) {
        return values(online, x, rows, k, "Q-value");
    }

    /** qbar = Q_phibar(x), the target network's values of {@code rows} rows (what V bootstraps from, eq. 4). */
    public double[] targetQ(float[] x, int rows, long k) {
        return values(target, x, rows, k, "target Q-value");
    }

    /** What one step's TD update(s) measured (averages over the --td-updates updates; y of the first). */
    public record TdReport(double loss, double target, double softValue, double gradNorm, double clippedNorm) {
    }

    /**
     * Lines 14-20: the pending transition(s) complete with this step's candidate rows {@code xk} (N * F)
     * and, when there is one, the prior's logits {@code prior} (N, beta log pi0); they enter the replay
     * buffer, and --td-updates TD steps follow, each with a Polyak update of phibar. Returns null when
     * no update was made (nothing pending, or an n-step chain not yet complete).
     */
    public TdReport learn(long k, float[] xk, int n, double[] prior) {
        if (xPrev == null || rPrev == null) {
            return null;                                                         // bootstrap step: no Q update
        }
        try (NDManager sm = manager.newSubManager()) {
            double v = softValue(add(values(target, xk, n, k, "target Q-value"), prior), beta); // lines 15-16: V_k (eq. 4)
            for (int j = 0; j < xPrev.length / f; j++) {                         // the transition(s) complete now
                float[] xj = Arrays.copyOfRange(xPrev, j * f, (j + 1) * f);
                float[] nextPrior = cfg.gamma() > 0 ? toFloats(prior) : null;
                Transition done = nstep == null ? new Transition(xj, rPrev[j], cfg.gamma() > 0 ? xk : null, nextPrior)
                        : nstep.push(new NStepReturns.Pick(xj, rPrev[j], rhoPrev), beta, xk, nextPrior);
                if (done != null) {
                    replay.add(done);
                }
            }
            dropPending();
            if (replay.size() == 0) {
                return null;                                                     // n-step: nothing complete yet
            }
            double loss = 0;
            double norm = 0;
            double clippedNorm = 0;
            double y0 = 0;
            for (int u = 0; u < cfg.tdUpdates(); u++) {
                List<Transition> batch = replay.sample(cfg.replayBatch(), replayRng);
                double[] y = targets(sm, batch, n, k);                           // line 17: y (eq. 3), constants
                TdStep td = tdUpdate(sm, batch, y, k);                           // lines 18-19
                target.polyakFrom(online, cfg.tau());                            // line 20 (eq. 5)
                qUpdates++;
                loss += td.loss / cfg.tdUpdates();
                norm += td.gradNorm / cfg.tdUpdates();
                clippedNorm += td.clippedNorm / cfg.tdUpdates();
                if (u == 0) {
                    y0 = y[0];
                }
            }
            return new TdReport(loss, y0, v, norm, clippedNorm);
        }
    }

    /** y = (1 - gamma) r + gamma V(X') for each transition, V from the current target network (eqs. 3, 4). */
    private double[] targets(NDManager sm, List<Transition> batch, int n, long k) {
        double[] y = new double[batch.size()];
        if (cfg.gamma() == 0) {
            for (int i = 0; i < y.length; i++) {
                y[i] = tdTarget(batch.get(i).r(), 0, 0);
            }
            return y;
        }
        float[] next = new float[batch.size() * n * f];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(batch.get(i).next(), 0, next, i * n * f, n * f);
        }
        double[] qBar = values(target, next, batch.size() * n, k, "target Q-value");
        for (int i = 0; i < y.length; i++) {
            double[] logits = Arrays.copyOfRange(qBar, i * n, (i + 1) * n);
            float[] prior = batch.get(i).nextPrior();
            for (int j = 0; prior != null && j < n; j++) {
                logits[j] += prior[j];                                           // V under pi0 exp(q/beta)
            }
            double v = softValue(logits, beta);
            y[i] = nstep == null ? tdTarget(batch.get(i).r(), v, cfg.gamma())
                    : batch.get(i).r() + nstep.tailDiscount() * v;               // n-step: G + gamma^n V
        }
        return y;
    }

    /** The TD loss, and the global norm of phi's gradient before and after clipping to G_q. */
    private record TdStep(double loss, double gradNorm, double clippedNorm) {
    }

    /** Lines 18-19: qhat <- Q_phi(x) with the current phi; one clipped step on mean 1/2 (qhat - y)^2. */
    private TdStep tdUpdate(NDManager parent, List<Transition> batch, double[] y, long k) {
        var phi = online.parameters().values();
        online.zeroGradients();
        int b = batch.size();
        float[] rows = new float[b * f];
        float[] yf = new float[b];
        for (int i = 0; i < b; i++) {
            System.arraycopy(batch.get(i).x(), 0, rows, i * f, f);
            yf[i] = (float) y[i];
        }
        double loss;
        try (NDManager sm = parent.newSubManager()) {
            // Tensor constants of this manager, alive until after backward (DJL-NOTES).
            NDArray x = sm.create(rows, new Shape(b, f));                         // (B, F)
            NDArray yT = sm.create(yf, new Shape(b));                             // (B)
            NDArray half = sm.create(0.5f);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray qHat = online.forward(x);                                  // (B) line 18
                NDArray l = qHat.sub(yT).square().mul(half).mean();               // mean 1/2 (qhat - y)^2
                loss = l.getFloat();
                if (!Double.isFinite(loss)) {
                    throw nonFinite(k, "TD loss", loss);
                }
                gc.backward(l);
            }
        }
        double norm = Gradients.clip(phi, cfg.qClip());                         // ||grad|| <= G_q
        if (!Double.isFinite(norm)) {
            throw nonFinite(k, "Q gradient norm", norm);
        }
        double clipped = Gradients.globalNorm(phi);                             // what the step below uses
        optimizer.step(online.parameters(), cfg.qLr());                         // line 19, eta
        return new TdStep(loss, norm, clipped);
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 21-23: the Boltzmann policy, the action(s), the pending rows
    // ----------------------------------------------------------------------------------------------

    /** pi = softmax(logits / beta) (eq. 6); the logits are q, or q + beta log pi0 with a prior. */
    public double[] boltzmann(double[] logits) {
        return SoftQMath.boltzmann(logits, beta);
    }

    /** The distribution actions are drawn from: pi, or (1 - eps) pi + eps / N with --explore-floor eps. */
    public double[] explore(double[] pi) {
        return cfg.exploreFloor() > 0 ? SoftQMath.exploreFloor(pi, cfg.exploreFloor()) : pi;
    }

    /** Line 22: one action drawn from pi, or b distinct ones by Gumbel-top-k. */
    public int[] act(double[] pi, int b) {
        return b == 1 ? new int[] {rng.nextCategorical(pi)} : SoftQMath.gumbelTopK(pi, b, rng);
    }

    /**
     * Line 23: rows {@code rows} of the step's candidates {@code x} (N * F) become the pending action(s),
     * waiting for their reward; {@code boltz}, {@code prior} and {@code picked} give the n-step chain
     * its log-ratio log pi(a) / pi0(a) (unused with n = 1).
     */
    public void pend(float[] x, int[] rows, double[] boltz, double[] prior, int picked) {
        float[] out = new float[rows.length * f];                                // an unrewarded action is dropped
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(x, rows[j] * f, out, j * f, f);
        }
        xPrev = out;
        rPrev = null;
        rhoPrev = nstep == null ? 0 : NStepReturns.logRatio(boltz, prior, beta, picked);
    }

    /** beta <- beta exp(lr (target - H(pi) / ln N)) when --target-entropy is set and N > 1; true when it moved. */
    public boolean adaptBeta(double[] boltz) {
        int n = boltz.length;
        if (cfg.targetEntropy() > 0 && n > 1) {
            beta = SoftQMath.adaptBeta(beta, SoftQMath.entropy(boltz) / Math.log(n), cfg.targetEntropy(), BETA_LR);
            return true;
        }
        return false;
    }

    // ----------------------------------------------------------------------------------------------
    // Line 27: r_prev <- r_k
    // ----------------------------------------------------------------------------------------------

    /** Rows waiting for a reward (0 when none). */
    public int pendingRows() {
        return xPrev == null ? 0 : xPrev.length / f;
    }

    /** Whether a rewarded transition waits for the next step's candidates. */
    public boolean hasPendingTransition() {
        return xPrev != null && rPrev != null;
    }

    /** The step's one reward for every pending row, after the reward norm (eq. 1). */
    public void reward(double r) {
        double[] out = new double[pendingRows()];
        Arrays.fill(out, rewardNorm.apply(r));
        rPrev = out;
    }

    /** One reward per pending row, standardised together (one update of the norm's statistics). */
    public void reward(double[] raw) {
        rPrev = rewardNorm.apply(raw);
    }

    /** The step was skipped: the pending action(s) are dropped and an n-step chain ends. */
    public void skip() {
        dropPending();
        if (nstep != null) {
            nstep.clear();
        }
    }

    /** The pending action(s) are dropped (a reward that cannot be used). */
    public void dropPending() {
        xPrev = null;
        rPrev = null;
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    private double[] values(QNetwork net, float[] x, int rows, long k, String what) {
        try (NDManager sm = manager.newSubManager()) {
            float[] q = net.forward(sm.create(x, new Shape(rows, f))).toFloatArray(); // (rows)
            double[] out = new double[q.length];
            for (int i = 0; i < q.length; i++) {
                if (!Float.isFinite(q[i])) {
                    throw nonFinite(k, what, q[i]);
                }
                out[i] = q[i];
            }
            return out;
        }
    }

    static double[] add(double[] q, double[] prior) {
        if (prior == null) {
            return q;
        }
        double[] out = q.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += prior[i];
        }
        return out;
    }

    private static float[] toFloats(double[] v) {
        if (v == null) {
            return null;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private static NonFiniteQError nonFinite(long k, String what, double value) {
        return new NonFiniteQError("step " + (k + 1) + ": non-finite soft-q " + what + " (" + value
                + "); lower --q-lr, set --q-clip or --reward-norm running");
    }

    // ----------------------------------------------------------------------------------------------
    // Checkpoints: the keys are those of checkpoints written before the core was split off
    // ----------------------------------------------------------------------------------------------

    /** Adds the core's state to {@code v} (JSON values) and {@code t} (tensors, valid until the next save). */
    public void save(Map<String, Object> v, Map<String, NDArray> t) {
        if (saved != null) {
            saved.close();
        }
        saved = manager.newSubManager();
        SoftQCheckpoint.save(v, t, saved, new SoftQCheckpoint.Parts(rng, replayRng, optimizer, qUpdates, rewardNorm, beta,
                replay, rPrev, nstep, rhoPrev, online, target, xPrev, f));
    }

    /** Restores what {@link #save} wrote; nothing is pending but what was pending then. */
    public void restore(Map<String, Object> v, Map<String, NDArray> t) {
        rng.setState(((Number) v.get("rng")).longValue());
        qUpdates = ((Number) v.get("q_updates")).longValue();
        rewardNorm.restore((Map<?, ?>) v.get("reward_stats"));
        SoftQCheckpoint.copyInto(online.parameters(), t, "phi.");
        SoftQCheckpoint.copyInto(target.parameters(), t, "phibar.");
        SoftQCheckpoint.restoreOptimizer(optimizer, v, t);
        dropPending();
        NDArray h = t.get("h_prev");
        if (h != null) {
            xPrev = h.toFloatArray();
        }
        beta = v.get("beta") instanceof Number b ? b.doubleValue() : cfg.beta();
        if (v.get("replay_rng") instanceof Number rs) {
            replayRng.setState(rs.longValue());
        }
        SoftQCheckpoint.restoreReplay(replay, v, t);
        Object r = v.get("r_prev");
        rPrev = r instanceof List<?> rl ? rl.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray() : null;
        if (nstep != null) {
            rhoPrev = v.get("rho_prev") instanceof Number p ? p.doubleValue() : 0;
            nstep.restore(SoftQCheckpoint.nstepPicks(v));
        }
    }

    // Package-private views for tests.

    QNetwork online() {
        return online;
    }

    QNetwork target() {
        return target;
    }

    int replaySize() {
        return replay.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
