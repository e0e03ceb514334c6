package dev.curlab.select.softq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.Window;
import dev.curlab.eval.PassCost;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Outcome;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.select.baselines.IrreducibleLossModel;
import dev.curlab.util.Stats;
import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
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
 *
 * <p>This class is the adapter for windows: it turns a step's candidates into Q's input rows
 * ({@link CandidateFeatures}), adds the --q-prior preference, chooses which rows are credited
 * (--q-credit) and writes the window metrics; the Q-learning itself (networks, TD step, Boltzmann
 * policy, replay, reward norm, beta) is {@link SoftQCore}'s.
 */
public final class SoftQSelector implements Selector {
    /** Step size of log beta when beta tracks --target-entropy (per step, per unit of normalised entropy). */
    static final double BETA_LR = SoftQCore.BETA_LR;
    /** Temperature of the --q-prior policy over z-scored reducible losses (0 would be RHO-LOSS's argmax). */
    static final double PRIOR_TEMPERATURE = 0.1;
    private final SoftQConfig cfg;
    private final int selectBatch;
    private final int d;                 // width of the LM's hidden states
    private final int f;                 // width of Q's input (h_x plus any extra features)
    private final SoftQCore core;
    private final IrreducibleLossModel irreducible; // only for --q-features hidden+loss+reducible or --q-prior reducible
    private float[] reducible;           // the step's reducible losses, computed once
    private long reducibleStep = -1;
    private Scored current;              // features and q_k of the step being selected

    /** The step's Q input rows (N * F), with the online Q-values q_k computed before the Q update. */
    private record Scored(long step, float[] x, double[] q, double[] prior) {
        /** The policy's logits: q, plus the prior's log-preference when --q-prior is on. */
        double[] logits() {
            return SoftQCore.add(q, prior);
        }
    }

    public SoftQSelector(SelectorContext c) {
        this.cfg = c.settings().softQ();
        this.selectBatch = c.settings().selectBatch();
        this.d = c.hiddenDim();
        this.f = cfg.inputDim(d);
        UserError.require(cfg.nstep() == 1 || (selectBatch == 1 && !cfg.firstOrderCredit()),
                "--q-nstep " + cfg.nstep() + " follows one picked action per step; drop --select-batch " + selectBatch);
        this.irreducible = cfg.needsIrreducibleLoss() ? IrreducibleLossModel.of(c) : null;
        this.core = new SoftQCore(c.manager(), cfg, f, c.seed(), "selector/soft-q");
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
        // first-order credit rewards each candidate with its alignment (from the scoring pass), never the step's
        // measured reward: the after-update held-out pass then runs only where the log wants it (evaluation steps)
        Need features = hiddenOnly ? Need.HIDDEN : Need.SCORES;
        return cfg.firstOrderCredit() ? Set.of(features) : Set.of(features, Need.REWARD);
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
            metrics.put("il_forward_tokens", PassCost.tokens(n, next.scored()));
        }
        current = new Scored(k, xk, core.q(xk, n, k), prior(next));               // line 13: q_k <- Q_phi(H_k)
        SoftQCore.TdReport td = core.learn(k, xk, n, current.prior);             // lines 14-20
        if (td != null) {
            metrics.put("td_loss", td.loss());
            metrics.put("td_target", td.target());
            metrics.put("soft_value", td.softValue());
            metrics.put("td_grad_norm", td.gradNorm());
            metrics.put("td_grad_norm_clipped", td.clippedNorm());
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Lines 21-23: the Boltzmann policy, the action(s), h_prev
    // ----------------------------------------------------------------------------------------------

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        Scored s = scored(batch);
        int n = batch.size();
        double[] boltz = core.boltzmann(finiteLogits(s.logits(), batch.step())); // eq. 6 (with the prior: pi0 exp(q/beta))
        double[] pi = core.explore(boltz);
        int[] a = core.act(pi, selectBatch);                                     // line 22: a_k ~ pi (B distinct)
        core.pend(s.x, cfg.firstOrderCredit() ? all(n) : a, boltz, s.prior, a[0]); // line 23: h_prev <- H_k[a_k]
        putPolicyMetrics(metrics, batch, s.q, pi, a);
        metrics.candidateValues(s.logits());                                     // for the report's candidate texts
        double beta = core.beta();
        if (core.adaptBeta(boltz)) {                                             // beta tracks the target entropy
            metrics.put("beta", beta);
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
                        k + 1, x, core.beta(), cfg.maxBeta(logits.length), logits.length));
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
        current = new Scored(batch.step(), xk, core.q(xk, batch.size(), batch.step()), prior(batch));
        return current;
    }

    // ----------------------------------------------------------------------------------------------
    // Line 27: r_prev <- r_k
    // ----------------------------------------------------------------------------------------------

    @Override
    public void observe(Outcome outcome, StepMetrics metrics) {
        double r = outcome.reward();
        int rows = core.pendingRows();
        // (with first-order credit the reward is not read, and not measured on most steps: NaN there)
        if (rows == 0 || !cfg.firstOrderCredit() && !Double.isFinite(r)) {      // the update was skipped
            core.skip();                                                         // (an n-step chain of picks ends)
            return;
        }
        if (!cfg.firstOrderCredit()) {
            core.reward(r);                                                      // the step's reward, eq. 1
            return;
        }
        float[] gain = outcome.batch().alignment();                              // a_x: each candidate's own
        if (gain == null) {
            throw new IllegalStateException("--q-credit first-order needs the candidates' alignment from the scoring pass");
        }
        double[] raw = new double[rows];                                         // first-order rewards
        for (int i = 0; i < rows; i++) {
            if (!Float.isFinite(gain[i])) {
                core.dropPending();
                return;
            }
            raw[i] = gain[i];
        }
        core.reward(raw);                                                        // one update of the statistics per step
        metrics.put("credit_mean", Stats.mean(gain));
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

    // ----------------------------------------------------------------------------------------------
    // Metrics
    // ----------------------------------------------------------------------------------------------

    private void putPolicyMetrics(StepMetrics m, CandidateBatch batch, double[] q, double[] pi, int[] a) {
        int n = q.length;
        double selected = 0;
        for (int i : a) {
            selected += q[i];
        }
        double h = SoftQMath.entropy(pi);
        m.put("q_mean", Stats.mean(q));
        m.put("q_std", Stats.populationSd(q));
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
        if (cfg.prior() != SoftQConfig.Prior.REDUCIBLE) {
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
            out[i] = core.beta() * (logits[i] - logZ);                                  // beta log pi0
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



    // ----------------------------------------------------------------------------------------------
    // Checkpoints (the core's state, under the keys written before it was split off)
    // ----------------------------------------------------------------------------------------------

    @Override
    public SelectorState save() {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, NDArray> t = new LinkedHashMap<>();
        core.save(v, t);
        return new SelectorState(v, t);
    }

    @Override
    public void restore(SelectorState state) {
        core.restore(state.values(), state.tensors());
        current = null;
    }

    // Package-private views for tests.

    QNetwork online() {
        return core.online();
    }

    QNetwork target() {
        return core.target();
    }

    boolean hasPendingTransition() {
        return core.hasPendingTransition();
    }

    double beta() {
        return core.beta();
    }

    int replaySize() {
        return core.replaySize();
    }

    long qUpdates() {
        return core.qUpdates();
    }

    @Override
    public void close() {
        core.close();
        if (irreducible != null) {
            irreducible.close();
        }
    }
}
