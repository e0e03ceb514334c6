package dev.curlab.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * Per-window losses, entropies and hidden states from one forward pass, and the differentiable
 * (weighted) training loss. The output head is applied in chunks of windows so that no more than
 * {@code logitBudgetBytes} of logits exist at once (B x T x V floats grow fast with a BPE vocabulary).
 */
public final class WindowScorer {
    /** Default logit budget of a head chunk, bytes of fp32 logits. */
    public static final long DEFAULT_LOGIT_BUDGET = 32L << 20; // measured best of 2, 8, 16, 32, 64 MiB (docs/performance.md)
    /**
     * Default logit budget of the training update, bytes of fp32 logits: a micro-batch within it runs
     * the plain head (one window of 128 tokens at the GPT-2 vocabulary, 25.7 MB, does), a larger one
     * runs it in chunks of this size. Each chunk adds one (V x C) product to the head's gradient, so
     * much smaller chunks cost more (8 MiB chunks were slower than 16 MiB ones on a loaded machine).
     */
    public static final long DEFAULT_UPDATE_CHUNK = DEFAULT_LOGIT_BUDGET;
    private final Gpt2Model model;
    private final long logitBudgetBytes;
    private final long updateChunkBytes;
    private long forwardedWindows;  // windows through no-grad forward passes, for tests that count passes

    public WindowScorer(Gpt2Model model) {
        this(model, DEFAULT_LOGIT_BUDGET);
    }

    public WindowScorer(Gpt2Model model, long logitBudgetBytes) {
        this(model, logitBudgetBytes, DEFAULT_UPDATE_CHUNK);
    }

    /**
     * @param updateChunkBytes the training update's logit budget: a batch whose logits exceed it runs its
     *                         head in chunks of this many bytes ({@link #backwardWeightedLoss}); 0 = never
     */
    public WindowScorer(Gpt2Model model, long logitBudgetBytes, long updateChunkBytes) {
        this.model = model;
        this.logitBudgetBytes = logitBudgetBytes;
        this.updateChunkBytes = updateChunkBytes;
    }

    public Gpt2Model model() {
        return model;
    }

    /** Windows forwarded without a graph so far ({@link #score} and {@link #scoreStep}, every pass counted). */
    public long forwardedWindows() {
        return forwardedWindows;
    }

    /**
     * Scores windows without building a graph (call outside a gradient collector).
     *
     * @param windows token ids, each of length T + 1 (inputs then shifted targets)
     */
    public WindowScores score(NDManager step, List<int[]> windows, boolean withEntropy, boolean withHidden) {
        return scoreStep(step, windows, List.of(), withEntropy, withHidden, false).candidates();
    }

    /**
     * Scores a step's candidates and a held-out subset (no graph): two forward passes, the held-out
     * subset's first. (One pass over both was measured slower on CPU: docs/performance.md.) With
     * {@code withAlignment}, also each candidate's {@link HeadAlignment}: the dot product of its loss
     * gradient and the held-out subset's with respect to the output head.
     *
     * @param heldout windows whose per-window losses are wanted too (may be empty; required for alignment)
     */
    public StepScores scoreStep(NDManager step, List<int[]> candidates, List<int[]> heldout, boolean withEntropy,
            boolean withHidden, boolean withAlignment) {
        return scoreStep(step, candidates, heldout, withEntropy, withHidden, withAlignment, false);
    }

    /**
     * As above; with {@code withGram}, also the Gram matrix of the candidates' head gradients,
     * K_ij = <G_i, G_j> ({@link HeadGradients}: N x C x V floats while the pass runs).
     */
    public StepScores scoreStep(NDManager step, List<int[]> candidates, List<int[]> heldout, boolean withEntropy,
            boolean withHidden, boolean withAlignment, boolean withGram) {
        if (withAlignment && heldout.isEmpty()) {
            throw new IllegalArgumentException("head alignment needs held-out windows");
        }
        float[] heldoutLoss = new float[heldout.size()];
        // Each forward's temporaries live in a sub-manager, each head chunk's in its own: only the
        // per-window results survive, so memory does not grow with N x T x V. The head runs over
        // flattened (window, position) rows in chunks small enough for the passes over the logits to
        // stay in cache.
        try (NDManager fm = step.newSubManager()) {
            HeadAlignment align = withAlignment ? new HeadAlignment(fm, model.config().vocab(), model.config().dModel()) : null;
            if (!heldout.isEmpty()) {
                try (NDManager hm = fm.newSubManager()) {
                    Pass p = pass(hm, heldout, false, align, true, null);
                    meanPerWindow(p.rowLoss, p.length, heldoutLoss);
                }
            }
            HeadGradients grads = withGram ? new HeadGradients(fm, candidates.size(), candidates.get(0).length - 1,
                    model.config().dModel(), model.config().vocab()) : null;
            Pass p = pass(fm, candidates, withEntropy, align, false, grads);
            float[] loss = new float[candidates.size()];
            meanPerWindow(p.rowLoss, p.length, loss);
            float[] entropy = withEntropy ? new float[candidates.size()] : null;
            if (withEntropy) {
                meanPerWindow(p.rowEntropy, p.length, entropy);
            }
            float[] alignment = withAlignment ? new float[candidates.size()] : null;
            if (withAlignment) {
                meanPerWindow(p.rowAlign, p.length, alignment);
            }
            NDArray last = null;
            if (withHidden) {
                last = p.hidden.get(new NDIndex(":, -1, :")).stopGradient();              // (N, C)
                last.attach(step);
            }
            return new StepScores(new WindowScores(loss, entropy, last), heldoutLoss, alignment,
                    grads == null ? null : grads.gram());
        }
    }

    /**
     * The candidates' last-token hidden states H (N, C) without the output head: what a selector that
     * reads only hidden states needs (the same values {@link #score} returns with {@code withHidden}).
     * At a BPE vocabulary the head is most of a forward pass.
     */
    public NDArray hiddenOnly(NDManager step, List<int[]> windows) {
        try (NDManager fm = step.newSubManager()) {
            Batch batch = Batch.of(fm, windows);
            forwardedWindows += windows.size();
            NDArray hidden = model.hiddenForScoring(fm, batch.inputs);                 // (N, T, C)
            NDArray last = hidden.get(new NDIndex(":, -1, :")).stopGradient();         // (N, C)
            last.attach(step);
            return last;
        }
    }

    /** One forward pass's per-row results; {@code hidden} (B, T, C) lives in the pass's manager. */
    private record Pass(NDArray hidden, int length, float[] rowLoss, float[] rowEntropy, float[] rowAlign) {
    }

    /**
     * A forward pass over {@code windows} and the head over its rows. With {@code align}: a held-out
     * pass ({@code heldoutPass}) accumulates the held-out gradient and finishes it; a candidate pass
     * computes each row's alignment with it. With {@code grads}, each row's head gradient is added to its window's.
     */
    private Pass pass(NDManager pm, List<int[]> windows, boolean withEntropy, HeadAlignment align, boolean heldoutPass,
            HeadGradients grads) {
        Batch batch = Batch.of(pm, windows);
        forwardedWindows += windows.size();
        int t = batch.length;
        NDArray hidden = model.hiddenForScoring(pm, batch.inputs);                    // (B, T, C)
        NDArray rowsHidden = hidden.reshape(-1, model.config().dModel());             // (B*T, C)
        NDArray rowsTargets = batch.targets.reshape(-1);                              // (B*T)
        int total = windows.size() * t;
        float[] rowLoss = new float[total];
        float[] rowEntropy = withEntropy ? new float[total] : null;
        float[] rowAlign = align != null && !heldoutPass ? new float[total] : null;
        int chunk = rowsPerChunk();
        for (int from = 0; from < total; from += chunk) {
            int to = Math.min(total, from + chunk);
            try (NDManager cm = pm.newSubManager()) {
                Rows r = rows(cm, rowsHidden, rowsTargets, from, to);
                NDArray logits = model.logits(cm, r.h);                                   // (r, V)
                NDArray logp = logits.logSoftmax(-1);                                     // (r, V)
                logits.close(); // (r, V) arrays are freed as soon as they are done with, not at the chunk's end
                System.arraycopy(nll(logp, r.targets).toFloatArray(), 0, rowLoss, from, to - from);
                // the probabilities once per chunk, shared by the entropy, the alignment and the gradients
                NDArray p = withEntropy || align != null || grads != null ? logp.exp() : null; // (r, V)
                if (withEntropy) {
                    NDArray plogp = p.mul(logp);                                          // (r, V)
                    NDArray ent = plogp.sum(new int[] {1}).neg();                         // (r)
                    plogp.close();
                    System.arraycopy(ent.toFloatArray(), 0, rowEntropy, from, to - from);
                }
                if (align != null && heldoutPass) {
                    align.accumulate(r.h, p, r.targets);
                } else if (align != null) {
                    System.arraycopy(align.rows(r.h, p, r.targets).toFloatArray(), 0, rowAlign, from, to - from);
                }
                if (grads != null) {
                    grads.accumulate(from, r.h, p, r.targets);
                }
            }
        }
        if (align != null && heldoutPass) {
            align.finish(total);
        }
        return new Pass(hidden, t, rowLoss, rowEntropy, rowAlign);
    }

    private record Rows(NDArray h, NDArray targets) {
    }

    /** Rows [from, to) of the flattened hidden states and targets, attached to the chunk manager. */
    private static Rows rows(NDManager cm, NDArray rowsHidden, NDArray rowsTargets, int from, int to) {
        NDIndex idx = new NDIndex(from + ":" + to);
        NDArray h = rowsHidden.get(idx);
        NDArray targets = rowsTargets.get(idx);
        h.attach(cm);
        targets.attach(cm);
        return new Rows(h, targets);
    }

    /**
     * Differentiable loss sum_i w_i * l(theta, x_i), l the mean next-token cross-entropy (paper eq. 7).
     * {@code weights} (b) must be a tensor in {@code step} that stays alive until after backward.
     */
    public NDArray weightedLoss(NDManager step, List<int[]> windows, NDArray weights) {
        Batch batch = Batch.of(step, windows);
        NDArray hidden = model.hidden(step, batch.inputs);                            // (b, T, C)
        NDArray logp = model.logits(step, hidden).logSoftmax(-1);                     // (b, T, V)
        NDArray perWindow = nll(logp, batch.targets).mean(new int[] {1});             // (b)
        return perWindow.mul(weights).sum();
    }

    /**
     * Fills the gradients of sum_i w_i * l(theta, x_i) (added to those already there) and returns its
     * value: one forward pass and one backward pass. When the batch's logits would exceed the update's
     * logit budget, the head and its cross-entropy run in chunks ({@link ChunkedHeadLoss}) and the
     * whole logits never exist; otherwise it is {@link #weightedLoss}'s backward, bit for bit.
     */
    public double backwardWeightedLoss(NDManager step, List<int[]> windows, float[] weights) {
        if (weights.length != windows.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + windows.size() + " windows");
        }
        int rows = windows.size() * (windows.get(0).length - 1);
        if (updateChunkBytes <= 0 || (long) rows * model.config().vocab() * Float.BYTES <= updateChunkBytes) {
            // Weights as a tensor of the step manager, alive until after backward (DJL-NOTES).
            NDArray w = step.create(weights);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = weightedLoss(step, windows, w);
                gc.backward(loss);
                return loss.getFloat();
            }
        }
        Batch batch = Batch.of(step, windows);
        int t = batch.length;
        float[] rowScale = new float[rows];
        for (int i = 0; i < rows; i++) {
            rowScale[i] = weights[i / t] / t;
        }
        NDArray wte = model.parameters().get("wte.weight");
        NDArray head = wte.stopGradient();                                            // (V, C), detached
        head.attach(step);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray hidden = model.hidden(step, batch.inputs).reshape(rows, model.config().dModel()); // (rows, C)
            NDArray detached = hidden.stopGradient();
            detached.attach(step);
            ChunkedHeadLoss.Result r = ChunkedHeadLoss.compute(step, detached, batch.targets.reshape(-1), rowScale,
                    head, rowsPerChunk(updateChunkBytes));
            gc.backward(hidden.mul(r.gradHidden()).sum());                             // d/dh = G_h
            // After backward: wte's gradient exists only once a backward pass has written it (before,
            // DJL hands out a detached zero array), and the embedding's share is in it now.
            try (NDArray grad = wte.getGradient()) {
                grad.addi(r.gradHead());
            }
            return r.loss();
        }
    }

    /** Negative log-likelihood of the targets: logp (..., V), targets (...) -> (...). */
    private static NDArray nll(NDArray logp, NDArray targets) {
        return logp.gather(targets.expandDims(-1), -1).squeeze(-1).neg();
    }

    private int rowsPerChunk() {
        return rowsPerChunk(logitBudgetBytes);
    }

    private int rowsPerChunk(long budgetBytes) {
        long perRow = (long) model.config().vocab() * Float.BYTES;
        return (int) Math.max(1, budgetBytes / perRow);
    }

    /** Mean of each window's T consecutive row values. */
    private static void meanPerWindow(float[] rows, int t, float[] out) {
        for (int w = 0; w < out.length; w++) {
            double sum = 0;
            for (int j = 0; j < t; j++) {
                sum += rows[w * t + j];
            }
            out[w] = (float) (sum / t);
        }
    }

    /** Inputs (B, T) and targets (B, T) as int64 tensors in the step manager. */
    private record Batch(NDArray inputs, NDArray targets, int length) {
        static Batch of(NDManager step, List<int[]> windows) {
            if (windows.isEmpty()) {
                throw new IllegalArgumentException("no windows to score");
            }
            int t = windows.get(0).length - 1;
            long[] in = new long[windows.size() * t];
            long[] out = new long[windows.size() * t];
            for (int i = 0; i < windows.size(); i++) {
                int[] w = windows.get(i);
                if (w.length != t + 1) {
                    throw new IllegalArgumentException("windows of different lengths: " + w.length + " vs " + (t + 1));
                }
                for (int j = 0; j < t; j++) {
                    in[i * t + j] = w[j];
                    out[i * t + j] = w[j + 1];
                }
            }
            Shape shape = new Shape(windows.size(), t);
            return new Batch(step.create(in, shape), step.create(out, shape), t);
        }
    }
}
