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
import dev.curlab.select.baselines.IrreducibleLossModel;
import dev.curlab.select.softq.ReplayBuffer.Transition;
import dev.curlab.data.Window;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Curriculum selection by normalised discounted soft Q-learning (paper Algorithm 1). A Q-network
 * Q_phi reads each candidate's detached last-token hidden state h_x (optionally with its z-scored
 * loss, {@link CandidateFeatures}); the policy is softmax(q / beta) over the N candidates; the TD
 * update of the previous step's transition waits until this step's candidates are scored, since their
 * target-network soft value is its bootstrap term. With a replay buffer (an option, not the paper)
 * each step makes --td-updates updates on minibatches of recent transitions instead of one update on
 * the newest; with the paper's settings it is Algorithm 1 exactly.
 *
 * <p>The trainer's calls map onto Algorithm 1 as: {@link #learn} = lines 11-20 (and lines 3-5 at the
 * bootstrap step k = 0, where nothing is pending), {@link #select} = lines 21-23 (6-7 at k = 0),
 * {@link #observe} = line 27 (9 at k = 0). Lines 11, 12, 25 and 26 are the trainer's.
 */
public final class SoftQSelector implements Selector {
    /** Step size of log beta when beta tracks --target-entropy (per step, per unit of normalised entropy). */
    static final double BETA_LR = 0.05;
    /** Temperature of the --q-prior policy over z-scored reducible losses (0 would be RHO-LOSS's argmax). */
    static final double PRIOR_TEMPERATURE = 0.1;
    private final SoftQConfig cfg;
    private final int selectBatch;
    private final int d;                 // width of the LM's hidden states
    private final int f;                 // width of Q's input (h_x plus any extra features)
    private final NDManager manager;
    private final QNetwork online;       // phi
    private final QNetwork target;       // phibar, never seen by the optimizer
    private final Optimizer optimizer;   // on phi only
    private final Rng rng;
    private final Rng replayRng;
    private final RewardNorm rewardNorm;
    private final ReplayBuffer replay;
    private final NStepReturns nstep;    // --q-nstep n > 1: picks waiting for their n-step return, else null
    private double rhoPrev;              // log pi(a)/pi0(a) of the pending pick (n-step's soft-value term)
    private final IrreducibleLossModel irreducible; // only for --q-features hidden+loss+reducible or --q-prior reducible
    private float[] reducible;           // the step's reducible losses, computed once
    private long reducibleStep = -1;
    private double beta;                 // the Boltzmann temperature (adapted when --target-entropy > 0)
    private Scored current;              // features and q_k of the step being selected
    private float[] xPrev;               // (B * F) features of the pending action(s); all N with first-order credit
    private double[] rPrev;              // their rewards (after --reward-norm), null until observed
    private long qUpdates;
    private NDManager saved;             // the arrays handed out by the last save()

    /** The step's Q input rows (N * F), with the online Q-values q_k computed before the Q update. */
    private record Scored(long step, float[] x, double[] q, double[] prior) {
        /** The policy's logits: q, plus the prior's log-preference when --q-prior is on. */
        double[] logits() {
            return add(q, prior);
        }
    }

    public SoftQSelector(SelectorContext c) {
        this.cfg = c.settings().softQ();
        this.selectBatch = c.settings().selectBatch();
        this.d = c.hiddenDim();
        this.f = cfg.inputDim(d);
        this.manager = c.manager().newSubManager();
        this.rng = Rng.derive(c.seed(), "selector/soft-q");
        this.replayRng = Rng.derive(c.seed(), "selector/soft-q/replay");
        this.replay = new ReplayBuffer(cfg.replay());
        UserError.require(cfg.nstep() == 1 || (selectBatch == 1 && !cfg.firstOrderCredit()),
                "--q-nstep " + cfg.nstep() + " follows one picked action per step; drop --select-batch " + selectBatch);
        this.nstep = cfg.nstep() > 1 ? new NStepReturns(cfg.nstep(), cfg.gamma()) : null;
        this.beta = cfg.beta();
        this.rewardNorm = new RewardNorm(cfg.rewardNorm());
        this.irreducible = cfg.needsIrreducibleLoss() ? IrreducibleLossModel.of(c) : null;
        Rng init = Rng.derive(c.seed(), "selector/soft-q/init");
        this.online = new QNetwork(manager, f, cfg.qHidden(), init, cfg.qInitScale(), true);
        this.target = new QNetwork(manager, f, cfg.qHidden(), init, 1, false);
        target.copyFrom(online);                                                 // line 1: phibar <- phi
        if (cfg.qOptimizer().equals("sgd")) {
            this.optimizer = new Sgd();
        } else {
            AdamW adam = new AdamW(manager, 0.9, 0.999, 1e-8, 0.0);
            adam.prepare(online.parameters());
            this.optimizer = adam;
        }
    }

    /** First-order credit reads the candidates' head alignment with the held-out subset. */
    @Override
    public boolean needsAlignment() {
        return cfg.needsAlignment();
    }

    /** Only the entropy feature needs the scoring pass to compute entropies. */
    @Override
    public boolean needsEntropy() {
        return cfg.features().equals("hidden+loss+entropy");
    }

    /** The tuned defaults learn from the paired-delta reward (docs/RESULTS.md); the paper uses eq. 1. */
    @Override
    public String rewardKind() {
        return cfg.paperExact() ? "absolute" : "paired-delta";
    }

    @Override
    public String name() {
        return "soft-q";
    }

    /**
     * The hidden states alone (--q-features hidden, no prior, no alignment, no entropy: the paper's
     * features) need no output head; every other setting reads the candidates' losses too.
     */
    @Override
    public Set<Need> needs() {
        boolean hiddenOnly = cfg.features().equals("hidden") && !cfg.needsIrreducibleLoss() && !cfg.needsAlignment();
        return hiddenOnly ? Set.of(Need.HIDDEN, Need.REWARD) : Set.of(Need.SCORES, Need.REWARD);
    }

    /** The soft mixture (sec. 2.6) trains on every candidate. */
    @Override
    public int examplesPerStep(int candidates, int selectBatch) {
        return cfg.softMixture() ? candidates : selectBatch;
    }

    @Override
    public long ownForwardTokensPerStep(int candidates, int predictions) {
        return irreducible == null ? 0 : (long) candidates * predictions;
    }

    @Override
    public dev.curlab.model.GptConfig ownShape() {
        return irreducible == null ? null : irreducible.shape();
    }

    @Override
    public long ownTrainTokens() {
        return irreducible == null ? 0 : irreducible.trainTokens();
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 12-20: q_k, then the TD update(s)
    // ----------------------------------------------------------------------------------------------

    @Override
    public void learn(CandidateBatch next, StepMetrics metrics) {
        long k = next.step();
        int n = next.size();
        float[] xk = features(next);                                              // H_k (N, d) [+ loss, ...], line 12
        if (irreducible != null) {                                               // charged like rho-loss's
            if (k == 0) {
                metrics.put("il_train_tokens", irreducible.trainTokens());
                metrics.put("il_cached", irreducible.cached());
            }
            metrics.put("il_forward_tokens", (long) n * next.scored());
        }
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = sm.create(xk, new Shape(n, f));
            current = new Scored(k, xk, values(online, x, k, "Q-value"), prior(next)); // line 13: q_k <- Q_phi(H_k)
            if (xPrev == null || rPrev == null) {
                return;                                                          // bootstrap step: no Q update
            }
            double v = softValue(add(values(target, x, k, "target Q-value"), current.prior), beta); // lines 15-16: V_k (eq. 4)
            for (int j = 0; j < xPrev.length / f; j++) {                         // the transition(s) complete now
                float[] xj = Arrays.copyOfRange(xPrev, j * f, (j + 1) * f);
                float[] nextPrior = cfg.gamma() > 0 ? toFloats(current.prior) : null;
                Transition done = nstep == null ? new Transition(xj, rPrev[j], cfg.gamma() > 0 ? xk : null, nextPrior)
                        : nstep.push(new NStepReturns.Pick(xj, rPrev[j], rhoPrev), beta, xk, nextPrior);
                if (done != null) {
                    replay.add(done);
                }
            }
            dropPending();
            if (replay.size() == 0) {
                return;                                                          // n-step: nothing complete yet
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
            metrics.put("td_loss", loss);
            metrics.put("td_target", y0);
            metrics.put("soft_value", v);
            metrics.put("td_grad_norm", norm);
            metrics.put("td_grad_norm_clipped", clippedNorm);
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
        double[] qBar;
        try (NDManager tmp = sm.newSubManager()) {
            qBar = values(target, tmp.create(next, new Shape((long) batch.size() * n, f)), k, "target Q-value");
        }
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
            NDArray x = sm.create(rows, new Shape(b, f));
            NDArray yT = sm.create(yf, new Shape(b));
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
    // Lines 21-23: the Boltzmann policy, the action(s), h_prev
    // ----------------------------------------------------------------------------------------------

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        Scored s = scored(batch);
        int n = batch.size();
        double[] boltz = boltzmann(finiteLogits(s.logits(), batch.step()), beta); // eq. 6 (with the prior: pi0 exp(q/beta))
        double[] pi = cfg.exploreFloor() > 0 ? SoftQMath.exploreFloor(boltz, cfg.exploreFloor()) : boltz;
        int[] a = selectBatch == 1 ? new int[] {rng.nextCategorical(pi)}        // line 22: a_k ~ pi
                : SoftQMath.gumbelTopK(pi, selectBatch, rng);                    // B distinct actions
        storePending(s.x, cfg.firstOrderCredit() ? all(n) : a);                 // line 23: h_prev <- H_k[a_k]
        rhoPrev = nstep == null ? 0 : NStepReturns.logRatio(boltz, s.prior, beta, a[0]);
        putPolicyMetrics(metrics, batch, s.q, pi, a);
        metrics.candidateValues(s.logits());                                     // for the report's candidate texts
        if (cfg.targetEntropy() > 0 && n > 1) {                                  // beta tracks the target entropy
            metrics.put("beta", beta);
            beta = SoftQMath.adaptBeta(beta, SoftQMath.entropy(boltz) / Math.log(n), cfg.targetEntropy(), BETA_LR);
        }
        if (!cfg.softMixture()) {
            return selectBatch == 1 ? Selection.single(a[0]) : Selection.batch(a);
        }
        float[] w = new float[n];                                                // section 2.6: train on all N,
        for (int i = 0; i < n; i++) {                                            // weighted by pi (eq. 7)
            w[i] = (float) pi[i];
        }
        return new Selection(all(n), w, a);
    }

    /** The policy's logits; q is finite (checked), so only beta z / 0.1 can overflow (SoftQConfig#maxBeta). */
    private double[] finiteLogits(double[] logits, long k) {
        for (double x : logits) {
            if (!Double.isFinite(x)) {
                throw new NonFiniteQError(String.format("step %d: non-finite soft-q policy logit (%s); lower --beta (%s) to at most %.2g for N = %d",
                        k + 1, x, beta, cfg.maxBeta(logits.length), logits.length));
            }
        }
        return logits;
    }

    private static int[] all(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private Scored scored(CandidateBatch batch) {
        if (current != null && current.step == batch.step()) {
            return current;
        }
        float[] xk = features(batch);                                            // select without learn (tests)
        try (NDManager sm = manager.newSubManager()) {
            current = new Scored(batch.step(), xk, values(online, sm.create(xk, new Shape(batch.size(), f)), batch.step(), "Q-value"),
                    prior(batch));
        }
        return current;
    }

    private void storePending(float[] x, int[] a) {
        float[] rows = new float[a.length * f];                                  // an unrewarded action is dropped
        for (int j = 0; j < a.length; j++) {
            System.arraycopy(x, a[j] * f, rows, j * f, f);
        }
        xPrev = rows;
        rPrev = null;
    }

    // ----------------------------------------------------------------------------------------------
    // Line 27: r_prev <- r_k
    // ----------------------------------------------------------------------------------------------

    @Override
    public void observe(Outcome outcome, StepMetrics metrics) {
        double r = outcome.reward();
        if (!Double.isFinite(r) || xPrev == null) {                             // the update was skipped
            dropPending();
            if (nstep != null) {
                nstep.clear();                                                   // the chain of picks ends
            }
            return;
        }
        int rows = xPrev.length / f;
        if (!cfg.firstOrderCredit()) {
            rPrev = new double[rows];
            Arrays.fill(rPrev, rewardNorm.apply(r));                             // the step's reward, eq. 1
            return;
        }
        float[] gain = outcome.batch().alignment();                              // a_x: each candidate's own
        if (gain == null) {
            throw new IllegalStateException("--q-credit first-order needs the candidates' alignment from the scoring pass");
        }
        double[] raw = new double[rows];                                         // first-order rewards
        for (int i = 0; i < rows; i++) {
            if (!Float.isFinite(gain[i])) {
                dropPending();
                return;
            }
            raw[i] = gain[i];
        }
        rPrev = rewardNorm.apply(raw);                                           // one update of the statistics per step
        metrics.put("credit_mean", mean(gain));
        Map<String, double[]> bySource = new java.util.TreeMap<>();               // sum and count per source
        for (int i = 0; i < rows; i++) {
            if (outcome.batch().window(i).hasSource()) {
                double[] acc = bySource.computeIfAbsent(outcome.batch().window(i).source(), x -> new double[2]);
                acc[0] += gain[i];
                acc[1]++;
            }
        }
        bySource.forEach((source, acc) -> metrics.put("credit_" + source, acc[0] / acc[1]));
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private void dropPending() {
        xPrev = null;
        rPrev = null;
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

    /** The step's Q input rows (N * F): the hidden states copied out of the step's manager, plus extras. */
    private float[] features(CandidateBatch batch) {
        Shape shape = batch.hidden().getShape();
        if (shape.dimension() != 2 || shape.get(0) != batch.size() || shape.get(1) != d) {
            throw new IllegalArgumentException("soft-q expects hidden states (" + batch.size() + ", " + d + "), got " + shape);
        }
        return CandidateFeatures.build(cfg.features(), batch.hidden().toFloatArray(), batch.loss(), secondSignal(batch), batch.size(), d);
    }

    /**
     * The prior's log-probabilities times beta, beta log pi0 with pi0 = softmax(z(L - IL) / {@link
     * #PRIOR_TEMPERATURE}) (--q-prior reducible), so that the policy is pi0 * exp(q / beta) / Z, close to
     * RHO-LOSS's top pick; null without a prior. Normalised, so that the soft value under the prior,
     * beta log sum pi0 exp(qbar / beta), carries no step-dependent offset: with qbar constant it is qbar.
     */
    private double[] prior(CandidateBatch batch) {
        if (!cfg.prior().equals("reducible")) {
            return null;
        }
        float[] z = CandidateFeatures.zScore(reducibleLoss(batch));
        double[] logits = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            logits[i] = z[i] / PRIOR_TEMPERATURE;
        }
        double logZ = SoftQMath.softValue(logits, 1.0);                          // log sum exp(z / 0.1)
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = beta * (logits[i] - logZ);                                  // beta log pi0
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

    private static double[] add(double[] q, double[] prior) {
        if (prior == null) {
            return q;
        }
        double[] out = q.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += prior[i];
        }
        return out;
    }

    /** RHO-LOSS's reducible loss L(x) - IL(x) per candidate, IL from the irreducible-loss model. */
    private float[] reducibleLoss(CandidateBatch batch) {
        if (reducibleStep == batch.step() && reducible != null) {
            return reducible;
        }
        float[] il = irreducible.loss(batch.scoredTokens());
        float[] out = new float[il.length];
        for (int i = 0; i < il.length; i++) {
            out[i] = batch.loss()[i] - il[i];
        }
        reducible = out;
        reducibleStep = batch.step();
        return out;
    }

    /** The z-scored signal Q reads beside the loss, as --q-features names it (null for none). */
    private float[] secondSignal(CandidateBatch batch) {
        return switch (cfg.features()) {
            case "hidden+loss+entropy" -> batch.entropy();
            case "hidden+loss+align" -> batch.alignment();
            case "hidden+loss+reducible" -> reducibleLoss(batch);
            default -> null;
        };
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
        if (saved != null) {
            saved.close();
        }
        saved = manager.newSubManager();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("rng", rng.state());
        v.put("q_optimizer_steps", optimizer.steps());
        v.put("q_updates", qUpdates);
        v.put("reward_stats", rewardNorm.save());
        v.put("beta", beta);
        v.put("replay_rng", replayRng.state());
        List<Transition> kept = replay.inOrder();
        v.put("replay_r", kept.stream().map(Transition::r).toList());
        if (rPrev != null) {
            v.put("r_prev", Arrays.stream(rPrev).boxed().toList());
        }
        if (nstep != null) {
            List<NStepReturns.Pick> w = nstep.waiting();
            v.put("rho_prev", rhoPrev);
            v.put("nstep_r", w.stream().map(NStepReturns.Pick::r).toList());
            v.put("nstep_rho", w.stream().map(NStepReturns.Pick::rho).toList());
            v.put("nstep_x", w.stream().map(p -> toDoubles(p.x())).toList());
        }
        Map<String, NDArray> t = new LinkedHashMap<>();
        online.parameters().forEach((name, a) -> t.put("phi." + name, a));
        target.parameters().forEach((name, a) -> t.put("phibar." + name, a));
        optimizer.state().forEach((name, a) -> t.put("opt." + name, a));
        if (xPrev != null) {
            t.put("h_prev", saved.create(xPrev, new Shape(xPrev.length / f, f)));
        }
        if (!kept.isEmpty()) {
            t.put("replay.x", saved.create(concat(kept, Transition::x), new Shape(kept.size(), f)));
            if (kept.get(0).next() != null) {
                t.put("replay.next", saved.create(concat(kept, Transition::next), new Shape(kept.size(), kept.get(0).next().length)));
            }
            if (kept.get(0).nextPrior() != null) {
                t.put("replay.next_prior", saved.create(concat(kept, Transition::nextPrior),
                        new Shape(kept.size(), kept.get(0).nextPrior().length)));
            }
        }
        return new SelectorState(v, t);
    }

    @Override
    public void restore(SelectorState state) {
        Map<String, Object> v = state.values();
        Map<String, NDArray> t = state.tensors();
        rng.setState(((Number) v.get("rng")).longValue());
        qUpdates = ((Number) v.get("q_updates")).longValue();
        rewardNorm.restore((Map<?, ?>) v.get("reward_stats"));
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
            xPrev = h.toFloatArray();
        }
        beta = v.get("beta") instanceof Number b ? b.doubleValue() : cfg.beta();
        if (v.get("replay_rng") instanceof Number rs) {
            replayRng.setState(rs.longValue());
        }
        replay.clear();
        List<?> rs = v.get("replay_r") instanceof List<?> l ? l : List.of();
        float[] xs = rs.isEmpty() ? null : t.get("replay.x").toFloatArray();
        float[] nx = t.containsKey("replay.next") ? t.get("replay.next").toFloatArray() : null;
        float[] np = t.containsKey("replay.next_prior") ? t.get("replay.next_prior").toFloatArray() : null;
        for (int i = 0; i < rs.size(); i++) {
            replay.add(new Transition(row(xs, i, rs.size()), ((Number) rs.get(i)).doubleValue(),
                    row(nx, i, rs.size()), row(np, i, rs.size())));
        }
        Object r = v.get("r_prev");
        rPrev = r instanceof List<?> rl ? rl.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray() : null;
        current = null;
        if (nstep != null) {
            restoreNStep(v);
        }
    }

    private void restoreNStep(Map<String, Object> v) {
        rhoPrev = v.get("rho_prev") instanceof Number p ? p.doubleValue() : 0;
        List<NStepReturns.Pick> picks = new java.util.ArrayList<>();
        List<?> rs = v.get("nstep_r") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < rs.size(); i++) {
            List<?> x = (List<?>) ((List<?>) v.get("nstep_x")).get(i);
            float[] xf = new float[x.size()];
            for (int j = 0; j < xf.length; j++) {
                xf[j] = ((Number) x.get(j)).floatValue();
            }
            picks.add(new NStepReturns.Pick(xf, ((Number) rs.get(i)).doubleValue(),
                    ((Number) ((List<?>) v.get("nstep_rho")).get(i)).doubleValue()));
        }
        nstep.restore(picks);
    }

    private static List<Double> toDoubles(float[] x) {
        List<Double> out = new java.util.ArrayList<>(x.length);
        for (float a : x) {
            out.add((double) a);
        }
        return out;
    }

    private static float[] concat(List<Transition> ts, java.util.function.Function<Transition, float[]> part) {
        int w = part.apply(ts.get(0)).length;
        float[] out = new float[ts.size() * w];
        for (int i = 0; i < ts.size(); i++) {
            System.arraycopy(part.apply(ts.get(i)), 0, out, i * w, w);
        }
        return out;
    }

    /** Row i of a (rows x width) array saved by {@link #concat}, or null when it was not saved. */
    private static float[] row(float[] all, int i, int rows) {
        if (all == null) {
            return null;
        }
        int w = all.length / rows;
        return Arrays.copyOfRange(all, i * w, (i + 1) * w);
    }

    private static void copyInto(Map<String, NDArray> params, Map<String, NDArray> saved, String prefix) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray s = saved.get(prefix + e.getKey());
            if (s == null || !s.getShape().equals(e.getValue().getShape())) {
                throw new IllegalStateException("soft-q checkpoint: " + prefix + e.getKey() + " is missing or of another shape"
                        + " (was the run started with another --q-hidden?)");
            }
            dev.curlab.model.Assign.from(e.getValue(), s);
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
        return xPrev != null && rPrev != null;
    }

    double beta() {
        return beta;
    }

    int replaySize() {
        return replay.size();
    }

    long qUpdates() {
        return qUpdates;
    }

    @Override
    public void close() {
        manager.close();
        if (irreducible != null) {
            irreducible.close();
        }
    }
}
