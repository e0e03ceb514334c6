package dev.curlab.select.softq;

import static dev.curlab.select.softq.SoftQMath.boltzmann;
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
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Curriculum selection by normalised discounted soft Q-learning (paper Algorithm 1). A Q-network
 * Q_phi reads each candidate's detached last-token hidden state h_x; the policy is softmax(q / beta)
 * over the N candidates; the TD update of the previous step's transition waits until this step's
 * candidates are scored, since their target-network soft value is its bootstrap term.
 *
 * <p>The trainer's calls map onto Algorithm 1 as: {@link #learn} = lines 11-20 (and lines 3-5 at the
 * bootstrap step k = 0, where nothing is pending), {@link #select} = lines 21-23 (6-7 at k = 0),
 * {@link #observe} = line 27 (9 at k = 0). Lines 11, 12, 25 and 26 are the trainer's.
 */
public final class SoftQSelector implements Selector {
    private final SoftQConfig cfg;
    private final int selectBatch;
    private final int d;
    private final NDManager manager;
    private final QNetwork online;       // phi
    private final QNetwork target;       // phibar, never seen by the optimizer
    private final Optimizer optimizer;   // on phi only
    private final Rng rng;
    private final RunningStats rewardStats = new RunningStats();
    private Scored current;              // H_k and q_k of the step being selected
    private NDArray hPrev;               // (B, d) hidden states of the pending action(s), in our manager
    private double rPrev = Double.NaN;   // reward of the pending transition (after --reward-norm)
    private long qUpdates;

    /** H_k copied out of the step's manager, with the online Q-values q_k computed before the Q update. */
    private record Scored(long step, float[] hidden, double[] q) {
    }

    public SoftQSelector(SelectorContext c) {
        this.cfg = c.settings().softQ();
        this.selectBatch = c.settings().selectBatch();
        this.d = c.hiddenDim();
        this.manager = c.manager().newSubManager();
        this.rng = Rng.derive(c.seed(), "selector/soft-q");
        Rng init = Rng.derive(c.seed(), "selector/soft-q/init");
        this.online = new QNetwork(manager, d, cfg.qHidden(), init, cfg.qInitScale(), true);
        this.target = new QNetwork(manager, d, cfg.qHidden(), init, 1, false);
        target.copyFrom(online);                                                 // line 1: phibar <- phi
        if (cfg.qOptimizer().equals("sgd")) {
            this.optimizer = new Sgd();
        } else {
            AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0);
            adam.prepare(online.parameters());
            this.optimizer = adam;
        }
    }

    @Override
    public String name() {
        return "soft-q";
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 12-20: q_k, then the TD update of the previous transition
    // ----------------------------------------------------------------------------------------------

    @Override
    public void learn(CandidateBatch next, StepMetrics metrics) {
        long k = next.step();
        float[] hk = copyHidden(next);                                           // H_k (N, d), line 12
        try (NDManager sm = manager.newSubManager()) {
            NDArray h = sm.create(hk, new Shape(next.size(), d));
            current = new Scored(k, hk, values(online, h, k, "Q-value"));        // line 13: q_k <- Q_phi(H_k)
            if (hPrev == null || Double.isNaN(rPrev)) {
                return;                                                          // bootstrap step: no Q update
            }
            double[] qBar = values(target, h, k, "target Q-value");              // line 15: qbar_k <- Q_phibar(H_k)
            double v = softValue(qBar, cfg.beta());                              // line 16: V_k (eq. 4)
            double y = tdTarget(rPrev, v, cfg.gamma());                          // line 17: y (eq. 3), a constant
            hPrev.attach(sm);                                                    // the transition is consumed here
            TdStep td = tdUpdate(sm, hPrev, y, k);                               // lines 18-19
            hPrev = null;
            rPrev = Double.NaN;
            target.polyakFrom(online, cfg.tau());                                // line 20 (eq. 5)
            qUpdates++;
            metrics.put("td_loss", td.loss);
            metrics.put("td_target", y);
            metrics.put("soft_value", v);
            metrics.put("td_grad_norm", td.gradNorm);
        }
    }

    private record TdStep(double loss, double gradNorm) {
    }

    /** Lines 18-19: qhat <- Q_phi(h_prev) with the current phi; one clipped step on mean 1/2 (qhat - y)^2. */
    private TdStep tdUpdate(NDManager sm, NDArray hPrevRows, double y, long k) {
        var phi = online.parameters().values();
        online.zeroGradients();
        // Tensor constants of the step manager, alive until after backward (DJL-NOTES).
        NDArray yT = sm.create((float) y);
        NDArray half = sm.create(0.5f);
        double loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray qHat = online.forward(hPrevRows);                              // (B) line 18
            NDArray l = qHat.sub(yT).square().mul(half).mean();                   // 1/2 (qhat - y)^2
            loss = l.getFloat();
            if (!Double.isFinite(loss)) {
                throw nonFinite(k, "TD loss", loss);
            }
            gc.backward(l);
        }
        double norm = Gradients.clip(phi, cfg.qClip());                         // ||grad|| <= G_q
        if (!Double.isFinite(norm)) {
            throw nonFinite(k, "Q gradient norm", norm);
        }
        optimizer.step(online.parameters(), cfg.qLr());                         // line 19, eta
        return new TdStep(loss, norm);
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 21-23: the Boltzmann policy, the action(s), h_prev
    // ----------------------------------------------------------------------------------------------

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        Scored s = scored(batch);
        int n = batch.size();
        double[] pi = boltzmann(s.q, cfg.beta());                                // eq. 6
        if (cfg.exploreFloor() > 0) {
            pi = SoftQMath.exploreFloor(pi, cfg.exploreFloor());
        }
        int[] a = selectBatch == 1 ? new int[] {rng.nextCategorical(pi)}        // line 22: a_k ~ pi
                : SoftQMath.gumbelTopK(pi, selectBatch, rng);                    // B distinct actions
        storePending(s.hidden, a);                                               // line 23: h_prev <- H_k[a_k]
        putPolicyMetrics(metrics, batch, s.q, pi, a);
        if (!cfg.softMixture()) {
            return selectBatch == 1 ? Selection.single(a[0]) : Selection.batch(a);
        }
        int[] all = new int[n];                                                  // section 2.6: train on all N,
        float[] w = new float[n];                                                // weighted by pi (eq. 7)
        for (int i = 0; i < n; i++) {
            all[i] = i;
            w[i] = (float) pi[i];
        }
        return new Selection(all, w, a);
    }

    private Scored scored(CandidateBatch batch) {
        if (current != null && current.step == batch.step()) {
            return current;
        }
        float[] hk = copyHidden(batch);                                          // select without learn (tests)
        try (NDManager sm = manager.newSubManager()) {
            current = new Scored(batch.step(), hk, values(online, sm.create(hk, new Shape(batch.size(), d)), batch.step(), "Q-value"));
        }
        return current;
    }

    private void storePending(float[] hidden, int[] a) {
        if (hPrev != null) {
            hPrev.close();                                                       // an unrewarded action is dropped
        }
        float[] rows = new float[a.length * d];
        for (int j = 0; j < a.length; j++) {
            System.arraycopy(hidden, a[j] * d, rows, j * d, d);
        }
        hPrev = manager.create(rows, new Shape(a.length, d));
        rPrev = Double.NaN;
    }

    // ----------------------------------------------------------------------------------------------
    // Line 27: r_prev <- r_k
    // ----------------------------------------------------------------------------------------------

    @Override
    public void observe(Outcome outcome, StepMetrics metrics) {
        double r = outcome.reward();
        if (!Double.isFinite(r)) {                                               // the update was skipped
            dropPending();
            return;
        }
        rPrev = cfg.rewardNorm().equals("running") ? rewardStats.standardise(r) : r;
    }

    private void dropPending() {
        if (hPrev != null) {
            hPrev.close();
            hPrev = null;
        }
        rPrev = Double.NaN;
    }

    // ----------------------------------------------------------------------------------------------
    // Metrics
    // ----------------------------------------------------------------------------------------------

    private void putPolicyMetrics(StepMetrics m, CandidateBatch batch, double[] q, double[] pi, int[] a) {
        int n = q.length;
        double mean = 0;
        for (double x : q) {
            mean += x;
        }
        mean /= n;
        double var = 0;
        for (double x : q) {
            var += (x - mean) * (x - mean);
        }
        double selected = 0;
        for (int i : a) {
            selected += q[i];
        }
        double h = SoftQMath.entropy(pi);
        m.put("q_mean", mean);
        m.put("q_std", Math.sqrt(var / n));
        m.put("q_selected", selected / a.length);
        m.put("policy_entropy", h);
        m.put("policy_entropy_norm", n > 1 ? h / Math.log(n) : 1.0);
        m.put("effective_examples", SoftQMath.effectiveExamples(pi));
        Map<String, Double> mass = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            if (batch.window(i).hasSource()) {
                mass.merge(batch.window(i).source(), pi[i], Double::sum);
            }
        }
        mass.forEach((source, p) -> m.put("policy_mass_" + source, p));
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    private float[] copyHidden(CandidateBatch batch) {
        Shape shape = batch.hidden().getShape();
        if (shape.dimension() != 2 || shape.get(0) != batch.size() || shape.get(1) != d) {
            throw new IllegalArgumentException("soft-q expects hidden states (" + batch.size() + ", " + d + "), got " + shape);
        }
        return batch.hidden().toFloatArray();
    }

    /** Q-values of h under {@code net} as doubles; a NaN or infinity stops the run. */
    private static double[] values(QNetwork net, NDArray h, long k, String what) {
        float[] q = net.forward(h).toFloatArray();
        double[] out = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            if (!Float.isFinite(q[i])) {
                throw nonFinite(k, what, q[i]);
            }
            out[i] = q[i];
        }
        return out;
    }

    private static NonFiniteQError nonFinite(long k, String what, double value) {
        return new NonFiniteQError("step " + (k + 1) + ": non-finite soft-q " + what + " (" + value
                + "); lower --q-lr, set --q-clip or --reward-norm running");
    }

    // ----------------------------------------------------------------------------------------------
    // Checkpoints
    // ----------------------------------------------------------------------------------------------

    @Override
    public SelectorState save() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("rng", rng.state());
        v.put("q_optimizer_steps", optimizer.steps());
        v.put("q_updates", qUpdates);
        v.put("reward_stats", rewardStats.save());
        if (!Double.isNaN(rPrev)) {
            v.put("r_prev", rPrev);
        }
        Map<String, NDArray> t = new LinkedHashMap<>();
        online.parameters().forEach((name, a) -> t.put("phi." + name, a));
        target.parameters().forEach((name, a) -> t.put("phibar." + name, a));
        optimizer.state().forEach((name, a) -> t.put("opt." + name, a));
        if (hPrev != null) {
            t.put("h_prev", hPrev);
        }
        return new SelectorState(v, t);
    }

    @Override
    public void restore(SelectorState state) {
        Map<String, Object> v = state.values();
        Map<String, NDArray> t = state.tensors();
        rng.setState(((Number) v.get("rng")).longValue());
        qUpdates = ((Number) v.get("q_updates")).longValue();
        rewardStats.restore((Map<?, ?>) v.get("reward_stats"));
        copyInto(online.parameters(), t, "phi.");
        copyInto(target.parameters(), t, "phibar.");
        Map<String, float[]> opt = new LinkedHashMap<>();
        t.forEach((name, a) -> {
            if (name.startsWith("opt.")) {
                opt.put(name.substring(4), a.toFloatArray());
            }
        });
        optimizer.restore(opt, ((Number) v.get("q_optimizer_steps")).longValue());
        dropPending();
        NDArray h = t.get("h_prev");
        if (h != null) {
            hPrev = manager.create(h.toFloatArray(), h.getShape());
        }
        Object r = v.get("r_prev");
        rPrev = r instanceof Number num ? num.doubleValue() : Double.NaN;
        current = null;
    }

    private static void copyInto(Map<String, NDArray> params, Map<String, NDArray> saved, String prefix) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray s = saved.get(prefix + e.getKey());
            if (s == null || !s.getShape().equals(e.getValue().getShape())) {
                throw new IllegalStateException("soft-q checkpoint: " + prefix + e.getKey() + " is missing or of another shape"
                        + " (was the run started with another --q-hidden?)");
            }
            e.getValue().set(s.toFloatArray());
        }
    }

    // Package-private views for tests.

    QNetwork online() {
        return online;
    }

    QNetwork target() {
        return target;
    }

    boolean hasPendingTransition() {
        return hPrev != null && !Double.isNaN(rPrev);
    }

    long qUpdates() {
        return qUpdates;
    }

    @Override
    public void close() {
        manager.close();
    }
}
