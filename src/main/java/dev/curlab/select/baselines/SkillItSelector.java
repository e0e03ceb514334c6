package dev.curlab.select.baselines;

import dev.curlab.data.Skill;
import dev.curlab.data.Window;
import dev.curlab.select.CandidateBatch;
import dev.curlab.select.Selection;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorState;
import dev.curlab.select.StepMetrics;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Skill-It's online data selection (Chen et al., NeurIPS 2023, "Skill-It! A Data-Driven Skills
 * Framework for Understanding and Training Language Models", Algorithm 1, as in the authors'
 * {@code trainer/mw_trainer.py} with a target mask): training proceeds in rounds of R steps; after
 * round t the mixture over the training skills i is
 * <pre>
 *   p_{t+1,i} = p_{1,i} exp(eta * sum_j A_ij * mean_{tau = t-w+1..t} L_j(tau)) / Z
 * </pre>
 * over the evaluation skills j, with p_1 uniform, w = {@link #WINDOW} rounds and, before any loss is
 * known, L_j = 1 (the authors' {@code loss_init = ones}). The evaluation skills are the sources of the
 * held-out reward pool D (the target); L_j(tau) is the mean loss of round tau's skill-j candidates in
 * the scoring pass: windows the model has not trained on, so an unbiased estimate of its held-out loss
 * on skill j at no extra forward pass (a skill without a candidate in the round keeps its last value).
 *
 * <p>A is the skills graph: with {@code graph = known} (the default), A_ii = 1 and A_ij = 0.5 when i is
 * a prerequisite of j, directly or through others, in {@link Skill}'s graph (the authors weigh a graph's
 * off-diagonal edges 0.5 in their synthetic experiments); sources outside that graph get A_ii = 1 only.
 * {@code graph = identity} is the no-graph ablation (A = I). Each pick draws a skill from p restricted
 * to the skills among the candidates left, then a uniform candidate of it. Training skills join when
 * first seen among the candidates (their p_1 share is the same as the others').
 */
public final class SkillItSelector implements Selector {
    /** The authors' window w on LEGO (scripts/lego/pt/skillit.sh: --mw_window 3). */
    public static final int WINDOW = 3;
    /** Off-diagonal weight of a prerequisite edge, as in the authors' synthetic graphs. */
    public static final double EDGE = 0.5;

    private final Rng rng;
    private final int selectBatch;
    private final double eta;
    private final int round;
    private final String graph;
    private final List<String> evalSkills;
    private final List<String> skills = new ArrayList<>();                    // training skills, in order first seen
    private final List<double[]> history = new ArrayList<>();                 // L(tau) per eval skill, last W rounds
    private final double[] last;                                              // last known L_j (1 before any)
    private final double[] roundSum;
    private final int[] roundCount;
    private long steps;

    public SkillItSelector(long seed, int selectBatch, double eta, int round, String graph, List<Window> heldout) {
        this.rng = Rng.derive(seed, "selector/skill-it");
        this.selectBatch = selectBatch;
        this.eta = eta;
        this.round = round;
        this.graph = graph;
        Set<String> targets = new LinkedHashSet<>();
        for (Window w : heldout) {
            if (w.hasSource()) {
                targets.add(w.source());
            }
        }
        this.evalSkills = List.copyOf(targets);
        this.last = new double[evalSkills.size()];
        java.util.Arrays.fill(last, 1.0);
        this.roundSum = new double[evalSkills.size()];
        this.roundCount = new int[evalSkills.size()];
    }

    /** p_i ∝ p1_i exp(eta sum_j A_ij Lbar_j), Lbar = the mean of the rows of {@code losses} (rounds x eval skills). */
    public static double[] mixture(double[] p1, double[][] a, List<double[]> losses, double eta) {
        int m = a.length == 0 ? 0 : a[0].length;
        double[] mean = new double[m];
        for (double[] l : losses) {
            for (int j = 0; j < m; j++) {
                mean[j] += l[j] / losses.size();
            }
        }
        double[] logits = new double[p1.length];
        for (int i = 0; i < p1.length; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += a[i][j] * mean[j];
            }
            logits[i] = Math.log(p1[i]) + eta * s;
        }
        return Picks.boltzmann(logits, 1);
    }

    /** A_ij for training skill i and evaluation skill j: 1 on the diagonal, {@link #EDGE} for a prerequisite (known graph). */
    public static double transfer(String train, String eval, String graph) {
        if (train.equals(eval)) {
            return 1;
        }
        if (!graph.equals("known")) {
            return 0;
        }
        Skill i = Skill.byTag(train);
        Skill j = Skill.byTag(eval);
        return i != null && j != null && isAncestor(i, j) ? EDGE : 0;
    }

    private static boolean isAncestor(Skill i, Skill j) {
        for (String p : j.prerequisites()) {
            Skill s = Skill.byTag(p);
            if (s == i || isAncestor(i, s)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String name() {
        return "skill-it";
    }

    @Override
    public Set<Label> requires() {
        return Set.of(Label.SOURCE);
    }

    /** The current mixture over the training skills seen so far. */
    double[] currentMixture() {
        double[][] a = new double[skills.size()][evalSkills.size()];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < evalSkills.size(); j++) {
                a[i][j] = transfer(skills.get(i), evalSkills.get(j), graph);
            }
        }
        double[] p1 = new double[skills.size()];
        java.util.Arrays.fill(p1, 1.0 / skills.size());
        return mixture(p1, a, history.isEmpty() ? List.of(last.clone()) : history, eta);
    }

    @Override
    public Selection select(CandidateBatch batch, StepMetrics metrics) {
        for (int i = 0; i < batch.size(); i++) {
            String s = batch.window(i).source();
            if (!skills.contains(s)) {
                skills.add(s);
            }
            int j = evalSkills.indexOf(s);
            if (j >= 0) {
                roundSum[j] += batch.loss()[i];
                roundCount[j]++;
            }
        }
        double[] p = currentMixture();
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            left.add(i);
        }
        int[] picks = new int[selectBatch];
        for (int k = 0; k < selectBatch; k++) {
            double[] q = new double[skills.size()];
            for (int s = 0; s < q.length; s++) {
                String name = skills.get(s);
                q[s] = left.stream().anyMatch(i -> batch.window(i).source().equals(name)) ? p[s] : 0;
            }
            String chosen = skills.get(rng.nextCategorical(q));
            List<Integer> of = new ArrayList<>();
            for (int i : left) {
                if (batch.window(i).source().equals(chosen)) {
                    of.add(i);
                }
            }
            picks[k] = Picks.uniform(rng, of);
            left.remove(Integer.valueOf(picks[k]));
        }
        Map<String, Object> mix = new LinkedHashMap<>();
        for (int s = 0; s < p.length; s++) {
            mix.put(skills.get(s), p[s]);
        }
        metrics.put("skillit_mixture", mix);
        steps++;
        if (steps % round == 0) {
            endRound();
        }
        return Picks.selection(picks);
    }

    /** Closes a round: L_j(t) = the mean loss of its skill-j candidates (or the last value); keeps the last W rounds. */
    private void endRound() {
        double[] l = new double[evalSkills.size()];
        for (int j = 0; j < l.length; j++) {
            if (roundCount[j] > 0) {
                last[j] = roundSum[j] / roundCount[j];
            }
            l[j] = last[j];
            roundSum[j] = 0;
            roundCount[j] = 0;
        }
        history.add(l);
        if (history.size() > WINDOW) {
            history.remove(0);
        }
    }

    @Override
    public SelectorState save() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("rng", rng.state());
        v.put("steps", steps);
        v.put("skills", new ArrayList<>(skills));
        v.put("history", history.stream().map(SkillItSelector::list).toList());
        v.put("last", list(last));
        v.put("roundSum", list(roundSum));
        v.put("roundCount", list(roundCount));
        return new SelectorState(v, Map.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(SelectorState state) {
        Map<String, Object> v = state.values();
        rng.setState(((Number) v.get("rng")).longValue());
        steps = ((Number) v.get("steps")).longValue();
        skills.clear();
        skills.addAll((List<String>) v.get("skills"));
        history.clear();
        for (Object row : (List<Object>) v.get("history")) {
            history.add(doubles((List<Number>) row));
        }
        System.arraycopy(doubles((List<Number>) v.get("last")), 0, last, 0, last.length);
        System.arraycopy(doubles((List<Number>) v.get("roundSum")), 0, roundSum, 0, roundSum.length);
        List<Number> counts = (List<Number>) v.get("roundCount");
        for (int j = 0; j < roundCount.length; j++) {
            roundCount[j] = counts.get(j).intValue();
        }
    }

    private static List<Double> list(double[] a) {
        List<Double> out = new ArrayList<>();
        for (double x : a) {
            out.add(x);
        }
        return out;
    }

    private static List<Integer> list(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int x : a) {
            out.add(x);
        }
        return out;
    }

    private static double[] doubles(List<Number> l) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = l.get(i).doubleValue();
        }
        return out;
    }
}
