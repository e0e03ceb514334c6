package dev.curlab.train;

import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.select.softq.SoftQConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * An upper estimate of the memory a training run needs, from its configuration alone (N, M, T, the
 * vocabulary V, the model's shape and what the selector computes), before anything is allocated. It
 * follows what the code keeps alive at its peak:
 *
 * <ul>
 *   <li>native, for the whole run: parameters, their gradients, the optimizer's moments; the
 *       irreducible-loss model (same shape, with AdamW while it trains) for rho-loss and soft-q's prior;
 *       the head alignment's two (C, V) sums; the Q-networks;</li>
 *   <li>native, the largest of the step's phases: a no-grad pass over B windows (N candidates, M
 *       held-out, 32 evaluation windows) keeps one block's temporaries at a time, 60 C + 4 H T floats per
 *       token (layer norms, qkv, four (T, T) attention maps per head, the MLP with its GELU's nine (4C)
 *       temporaries), and the head's logits in chunks of {@link WindowScorer#DEFAULT_LOGIT_BUDGET}; the LM
 *       update keeps every block's activations and the (b, T, V) logits of the windows it trains on
 *       (above {@link WindowScorer#DEFAULT_UPDATE_CHUNK}, one chunk of them and the head's gradients)
 *       until the end of the step, through the reward pass over M;</li>
 *   <li>Java heap: the windows read ahead and the pools, the step's token and per-row arrays, the
 *       alignment's (C, V) sum, soft-q's replay buffer and TD minibatch, and a checkpoint's largest tensor being written
 *       (its floats and their bytes: files are streamed one tensor at a time);</li>
 *   <li>a fixed base for the JVM and the PyTorch library, measured (docs/performance.md).</li>
 * </ul>
 * Bytes are doubles: configurations far too large to run must not overflow the arithmetic.
 */
public final class MemoryEstimate {
    /** Resident memory of the JVM and the PyTorch library with nothing allocated yet (measured, docs/performance.md). */
    public static final double BASE_NATIVE = 320e6;
    /** Heap in use before a run allocates anything of its own (classes' objects, picocli, Jackson). */
    public static final double BASE_HEAP = 64e6;
    static final int F = Float.BYTES;

    /** One component: what it is, its bytes, and whether it is on the Java heap (else native). */
    public record Part(String name, double bytes, boolean heap) {
    }

    /** What the selector of a configuration computes besides the candidates' losses and hidden states. */
    record Needs(boolean entropy, boolean alignment, boolean irreducible, SoftQConfig softQ) {
        static Needs of(TrainConfig cfg) {
            SoftQConfig q = cfg.selectorSettings().softQ();
            return switch (cfg.selector()) {
                case "soft-q" -> new Needs(q.features().equals("hidden+loss+entropy"), q.needsAlignment(), q.needsIrreducibleLoss(), q);
                case "uncertainty" -> new Needs(true, false, false, null);
                case "rho-loss" -> new Needs(false, false, true, null);
                default -> new Needs(false, false, false, null);
            };
        }
    }

    private final List<Part> parts;

    private MemoryEstimate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** The estimate for {@code cfg} with a model of shape {@code shape} (whose vocabulary is the tokenizer's). */
    public static MemoryEstimate of(TrainConfig cfg, GptConfig shape) {
        return of(cfg, shape, cfg.candidates());
    }

    /** The same with {@code candidates} in place of N (and T from {@code shape}): what-would-fit searches. */
    static MemoryEstimate of(TrainConfig cfg, GptConfig shape, int candidates) {
        Needs needs = Needs.of(cfg);
        double n = candidates;
        double m = cfg.heldoutBatch();
        double p = shape.parameterCount();
        double c = shape.dModel();
        double v = shape.vocab();
        boolean adamw = cfg.optimizer() == TrainConfig.LmOptimizer.ADAMW;
        List<Part> out = new ArrayList<>();

        // Native, for the whole run.
        out.add(new Part("parameters and gradients", 2 * F * p, false));
        out.add(new Part("optimizer moments", adamw ? 2 * F * p : 0, false));
        out.add(new Part("irreducible-loss model", needs.irreducible() ? 4 * F * p : 0, false));
        out.add(new Part("head alignment sums", needs.alignment() ? 3 * F * c * v : 0, false));
        out.add(new Part("Q-networks", needs.softQ() != null ? qNetworks(needs.softQ(), shape.dModel()) : 0, false));

        // Native, the largest phase of a step (or of the set-up: evaluation, training the IL model).
        double trained = needs.softQ() != null && needs.softQ().softMixture() ? n : cfg.selectorSettings().selectBatch();
        double scoring = Math.max(pass(shape, n, needs.entropy(), needs.alignment()), pass(shape, m, false, false));
        double update = training(shape, trained) + pass(shape, m, false, false);
        double evaluation = pass(shape, Math.min(32, cfg.evalWindows()), false, false);
        double ilTraining = needs.irreducible() ? training(shape, cfg.selectorSettings().baselines().ilBatch()) : 0;
        out.add(new Part(peakName(scoring, update, evaluation, ilTraining), max(scoring, update, evaluation, ilTraining), false));

        // Java heap.
        double window = windowBytes(shape.context());
        out.add(new Part("windows read ahead", 6 * n * window, true));
        out.add(new Part("held-out and evaluation pools", (cfg.heldoutWindows() + (double) cfg.evalWindows()) * window, true));
        double tokens = Math.max(n, trained) * shape.context();
        out.add(new Part("step token and per-row arrays", tokens * (2 * Long.BYTES + 3 * F) + n * (c + 2) * F, true));
        out.add(new Part("head alignment target sum", needs.alignment() ? F * c * v : 0, true));
        out.add(new Part("replay buffer", needs.softQ() != null ? replay(needs.softQ(), cfg, n, shape.dModel()) : 0, true));
        out.add(new Part("TD minibatch", needs.softQ() != null ? minibatch(needs.softQ(), n, shape.dModel()) : 0, true));
        out.add(new Part("checkpoint tensor in flight", checkpointInFlight(shape), true));
        out.add(new Part("JVM heap base", BASE_HEAP, true));
        out.add(new Part("JVM and PyTorch base", BASE_NATIVE, false));
        return new MemoryEstimate(out);
    }

    /**
     * A no-grad pass over {@code b} windows (WindowScorer#scoreStep): the token ids, the hidden state
     * between blocks, one block's temporaries, the final layer norm, and one chunk of the head with
     * logits, log-probabilities, their exponential and (alignment) G_D h per row.
     */
    public static double pass(GptConfig s, double b, boolean entropy, boolean alignment) {
        double t = s.context();
        double bt = b * t;
        double rows = Math.min(bt, Math.max(1, WindowScorer.DEFAULT_LOGIT_BUDGET / ((double) F * s.vocab())));
        double headArrays = 2 + (entropy ? 1 : 0) + (alignment ? 2 : 0);
        return 2 * Long.BYTES * bt                                   // input and target ids
                + F * bt * (2 * s.dModel() + blockFloatsPerToken(s)) // block input, ln_f output, one block
                + F * rows * s.vocab() * headArrays;                 // one head chunk
    }

    /**
     * The LM update on {@code b} windows: every block's activations kept for backward (plus one block's
     * worth of gradients in flight), the embeddings, and the (b, T, V) logits, log-probabilities and
     * their two gradients.
     */
    public static double training(GptConfig s, double b) {
        double bt = b * s.context();
        return 2 * Long.BYTES * bt
                + F * bt * ((s.layers() + 1) * blockFloatsPerToken(s) + 3 * s.dModel())
                + updateHead(s, bt);
    }

    /**
     * The update's head over {@code rows} rows (WindowScorer#backwardWeightedLoss): within the chunk
     * budget, the (rows, V) logits, log-probabilities and their two gradients; above it, the same four
     * for one chunk of rows (ChunkedHeadLoss), plus the hidden states' gradient (rows, C) and the
     * head's (V, C).
     */
    static double updateHead(GptConfig s, double rows) {
        double logits = F * rows * s.vocab();
        if (logits <= WindowScorer.DEFAULT_UPDATE_CHUNK) {
            return logits * 4;
        }
        double chunkRows = Math.max(1, Math.floor(WindowScorer.DEFAULT_UPDATE_CHUNK / ((double) F * s.vocab())));
        return F * chunkRows * s.vocab() * 4 + F * rows * s.dModel() + F * (double) s.vocab() * s.dModel();
    }

    /**
     * A checkpoint's tensor in flight: the files are written one tensor at a time (TensorFile), its floats
     * and their encoded bytes on the heap at once; the largest is the embedding (V, C) or c_fc (C, 4C).
     */
    public static double checkpointInFlight(GptConfig s) {
        return 2 * F * Math.max((double) s.vocab(), 4.0 * s.dModel()) * s.dModel();
    }

    /**
     * Floats per token that one transformer block keeps until it is done: ln_1 (C), c_attn's product and
     * bias (6C), the attention output and its re-layout (2C), c_proj (2C), the residual (C), ln_2 (C),
     * c_fc (8C), the GELU's nine temporaries (36C), the MLP's c_proj (2C) and residual (C): 60 C; and the
     * four (T, T) attention maps of each head (scores, scaled, masked, softmax): 4 H T.
     */
    static double blockFloatsPerToken(GptConfig s) {
        return 60.0 * s.dModel() + 4.0 * s.heads() * s.context();
    }

    /** An int[T + 1] window (array header, tokens, alignment) and its Window object. */
    static double windowBytes(int context) {
        double array = 16 + 4.0 * (context + 1);
        return Math.ceil(array / 8) * 8 + 32;
    }

    /** Online and target Q-networks (input -> width -> 1), their gradients and Adam's two moments. */
    static double qNetworks(SoftQConfig q, int d) {
        double f = q.inputDim(d);
        double params = f * q.qHidden() + 2.0 * q.qHidden() + 1;
        return 5 * F * params;
    }

    /** The replay buffer when full: each transition's features and, with gamma > 0, the next step's N rows and priors. */
    static double replay(SoftQConfig q, TrainConfig cfg, double n, int d) {
        double f = q.inputDim(d);
        double perStep = q.firstOrderCredit() ? n : cfg.selectorSettings().selectBatch();
        double kept = Math.min(q.replay(), cfg.steps() * perStep);
        double next = q.gamma() > 0 ? n * (f + 1) : 0;
        return kept * (F * (f + next) + 64);
    }

    /** One TD update's rows (and, with gamma > 0, the next steps' N rows each) as a Java array and its tensor. */
    static double minibatch(SoftQConfig q, double n, int d) {
        double f = q.inputDim(d);
        return 2 * F * q.replayBatch() * (f + (q.gamma() > 0 ? n * f : 0));
    }

    private static String peakName(double scoring, double update, double evaluation, double ilTraining) {
        double top = max(scoring, update, evaluation, ilTraining);
        if (top == update) {
            return "step peak (LM update and reward pass)";
        }
        if (top == scoring) {
            return "step peak (scoring pass)";
        }
        return top == ilTraining ? "irreducible-loss model training" : "evaluation pass";
    }

    private static double max(double... v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    public List<Part> parts() {
        return parts;
    }

    /** Bytes on the Java heap. */
    public double heapBytes() {
        return parts.stream().filter(Part::heap).mapToDouble(Part::bytes).sum();
    }

    /** Bytes outside the heap (PyTorch's tensors, the JVM and the library). */
    public double nativeBytes() {
        return parts.stream().filter(x -> !x.heap()).mapToDouble(Part::bytes).sum();
    }

    /** Resident memory at the peak: native plus heap. */
    public double totalBytes() {
        return heapBytes() + nativeBytes();
    }

    /** The largest component (for the message). */
    public Part largest() {
        Part best = parts.get(0);
        for (Part x : parts) {
            best = x.bytes() > best.bytes() ? x : best;
        }
        return best;
    }
}
