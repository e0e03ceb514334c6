package dev.curlab.eval;

import dev.curlab.model.GptConfig;

/**
 * The one place a pass of the LM becomes tokens and tokens become FLOPs. A pass over {@code windows}
 * windows reading {@code P} predictions each forwards N x P tokens ({@link #tokens}); the trainer logs
 * those counts, {@code StepCost} predicts them from the configuration, and {@code RunData} and the
 * benchmark charge them here, at {@link Flops}' per-token counts:
 * <pre>
 *   forward = C_forward · tokens          train = 3 · C_forward · tokens   (backward ≈ 2 × forward)
 *   trunk   = (C_forward − 2dV) · tokens  head  = 2dV · tokens             (the tied output head alone)
 * </pre>
 *
 * @param perToken     C_forward of the model, output head included
 * @param headPerToken 2 · d · V, the tied output head's share of it
 */
public record PassCost(double perToken, double headPerToken) {

    /** The cost of a model of {@code layers} x {@code dModel} over windows of {@code context} tokens and a vocabulary of {@code vocab}. */
    public static PassCost of(int layers, int dModel, int context, int vocab) {
        return new PassCost(Flops.forwardPerToken(layers, dModel, context, vocab), Flops.headPerToken(dModel, vocab));
    }

    /** The cost of {@code shape} over windows of {@code context} tokens. */
    public static PassCost of(GptConfig shape, int context) {
        return of(shape.layers(), shape.dModel(), context, shape.vocab());
    }

    /** N x P: the tokens of a pass over {@code windows} windows of {@code predictions} predictions each. */
    public static long tokens(long windows, int predictions) {
        return windows * predictions;
    }

    /** The head products of N candidates' head-gradient rows (N x P) and then their N x N Gram matrix. */
    public static long gramTokens(int candidates, int predictions) {
        return (long) candidates * (predictions + candidates);
    }

    /** FLOPs of a no-grad forward pass over {@code tokens} tokens. */
    public double forward(double tokens) {
        return perToken * tokens;
    }

    /** FLOPs of a forward and backward pass over {@code tokens} tokens. */
    public double train(double tokens) {
        return Flops.TRAIN_FACTOR * perToken * tokens;
    }

    /** FLOPs of the blocks without the output head (hidden states only) over {@code tokens} tokens. */
    public double trunk(double tokens) {
        return (perToken - headPerToken) * tokens;
    }

    /** FLOPs of the output head's matrix product alone over {@code tokens} tokens. */
    public double head(double tokens) {
        return headPerToken * tokens;
    }
}
