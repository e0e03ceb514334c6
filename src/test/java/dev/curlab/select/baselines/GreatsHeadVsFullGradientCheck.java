package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.Role;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.model.GptConfig;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.StepScores;
import dev.curlab.model.WindowScorer;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.GradientStep;
import dev.curlab.optim.Gradients;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a regression test (off unless {@code -Dcurlab.measure=true}): what restricting
 * GREATS's gradients to the output head costs. A nano model trains on builtin:mixture with the default
 * settings, picking the candidate of highest head alignment each step; every {@code EVERY} steps the
 * candidates' full-parameter gradients (one backward each) give the full alignment <g_x, g_D> and Gram
 * matrix, and the head-only and full-gradient choices are compared: Spearman rank correlation of the
 * alignments, top-1 agreement, and overlap of the greedy B = 4 batches (eta = --lr). Writes
 * target/greats-head-vs-full.txt.
 */
@EnabledIfSystemProperty(named = "curlab.measure", matches = "true")
class GreatsHeadVsFullGradientCheck {
    static final int STEPS = Integer.getInteger("curlab.measure.steps", 300);
    static final int EVERY = 5;
    static final int B = 4;

    @Test
    void headOnlyAgainstFullGradient() throws IOException {
        Engine.getInstance();
        JniUtils.setNumThreads(1);
        TrainConfig cfg = TrainConfig.defaults("builtin:mixture");
        Tokenizer tok = DataSpecs.tokenizerFor(cfg.data(), "auto");
        GptConfig shape = GptConfig.preset(cfg.model(), cfg.context(), tok.vocabSize());
        StringBuilder out = new StringBuilder("step\tspearman\ttop1_agree\tgreedy4_overlap\thead_pick_source\tfull_pick_source\n");
        double rhoSum = 0;
        int top1 = 0;
        double overlapSum = 0;
        int n = 0;
        try (Gpt2Model model = new Gpt2Model(shape, cfg.seed());
             DataSource stream = DataSpecs.open(cfg.data(), tok, cfg.context(), cfg.seed(), Role.TRAIN);
             DataSource heldoutSrc = DataSpecs.open(cfg.data(), tok, cfg.context(), cfg.seed(), Role.HELDOUT)) {
            List<int[]> pool = Window.tokensOf(DataSpecs.take(heldoutSrc, cfg.heldoutWindows()));
            WindowScorer scorer = new WindowScorer(model);
            AdamW adam = new AdamW(model.manager(), 0.9, 0.95, 1e-8, cfg.weightDecay());
            adam.prepare(model.parameters());
            GradientStep update = new GradientStep(scorer, adam, cfg.clip(), cfg.microbatch());
            Rng rng = Rng.derive(cfg.seed(), "heldout-subset");
            for (int k = 0; k <= STEPS; k++) {
                List<Window> windows = DataSpecs.take(stream, cfg.candidates());
                List<int[]> cands = Window.tokensOf(windows);
                List<int[]> subset = new ArrayList<>();
                for (int i : rng.sampleWithoutReplacement(pool.size(), cfg.heldoutBatch())) {
                    subset.add(pool.get(i));
                }
                try (NDManager sm = model.manager().newSubManager()) {
                    StepScores s = scorer.scoreStep(sm, cands, subset, false, false, true, k % EVERY == 0);
                    double[] head = Picks.toDouble(s.alignment());
                    if (k % EVERY == 0) {
                        float[] gD = fullGradient(model, scorer, sm, subset);
                        float[][] g = new float[cands.size()][];
                        double[] full = new double[cands.size()];
                        for (int i = 0; i < g.length; i++) {
                            g[i] = fullGradient(model, scorer, sm, List.of(cands.get(i)));
                            full[i] = dot(gD, g[i]);
                        }
                        double[][] fullGram = new double[g.length][g.length];
                        double[][] headGram = new double[g.length][];
                        for (int i = 0; i < g.length; i++) {
                            headGram[i] = Picks.toDouble(s.gram()[i]);
                            for (int j = 0; j < g.length; j++) {
                                fullGram[i][j] = dot(g[i], g[j]);
                            }
                        }
                        double rho = spearman(head, full);
                        int hp = Picks.top(head, 1)[0];
                        int fp = Picks.top(full, 1)[0];
                        int[] hb = GreatsSelector.greedy(head, headGram, cfg.lr(), B);
                        int[] fb = GreatsSelector.greedy(full, fullGram, cfg.lr(), B);
                        double overlap = Arrays.stream(hb).filter(i -> Arrays.stream(fb).anyMatch(j -> j == i)).count() / (double) B;
                        rhoSum += rho;
                        top1 += hp == fp ? 1 : 0;
                        overlapSum += overlap;
                        n++;
                        out.append(String.format("%d\t%.3f\t%d\t%.2f\t%s\t%s%n", k, rho, hp == fp ? 1 : 0, overlap,
                                windows.get(hp).source(), windows.get(fp).source()));
                    }
                    if (k == STEPS) {
                        break;
                    }
                    int pick = Picks.top(head, 1)[0];                                 // greats, B = 1, head only
                    GradientStep.Result r = update.backward(sm, List.of(cands.get(pick)), new float[] {1f});
                    update.apply(cfg.lr(), r.gradNorm());
                }
            }
        }
        String summary = String.format("nano, builtin:mixture, seed %d, N %d, M %d, %d steps, %d measurements: "
                + "mean Spearman %.3f, top-1 agreement %d/%d (%.0f%%), greedy B=%d overlap %.2f%n",
                TrainConfig.defaults("builtin:mixture").seed(), TrainConfig.defaults("builtin:mixture").candidates(),
                TrainConfig.defaults("builtin:mixture").heldoutBatch(), STEPS, n, rhoSum / n, top1, n, 100.0 * top1 / n, B, overlapSum / n);
        out.append(summary);
        Files.writeString(Path.of("target/greats-head-vs-full.txt"), out.toString());
        System.out.print(summary);
        assertTrue(n > 0);
    }

    /** The full-parameter gradient of the uniform mean loss of {@code windows}, flattened. */
    static float[] fullGradient(Gpt2Model model, WindowScorer scorer, NDManager sm, List<int[]> windows) {
        var params = model.parameters().values();
        Gradients.zero(params);
        float[] w = new float[windows.size()];
        Arrays.fill(w, 1f / windows.size());
        NDArray weights = sm.create(w);                       // alive until after backward (DJL-NOTES)
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(scorer.weightedLoss(sm, windows, weights));
        }
        int size = 0;
        for (NDArray p : params) {
            size += (int) p.size();
        }
        float[] flat = new float[size];
        int at = 0;
        for (NDArray p : params) {
            float[] g = p.getGradient().toFloatArray();
            System.arraycopy(g, 0, flat, at, g.length);
            at += g.length;
        }
        Gradients.zero(params);
        return flat;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Spearman's rho: Pearson correlation of the ranks (no ties expected in continuous scores). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0);
        double my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[order[i]] = i;
        }
        return r;
    }
}
