package dev.curlab.eval;

/**
 * Estimated floating-point operations of a GPT-2-style model, by the standard count of Kaplan et al.
 * (2020), "Scaling Laws for Neural Language Models", Table 1:
 * <pre>
 *   N         = 2 · d_model · n_layer · (2 · d_attn + d_ff)  = 12 · n_layer · d²   (d_attn = d, d_ff = 4d)
 *   C_forward = 2 · N + 2 · n_layer · n_ctx · d_attn           FLOPs per token
 *   C_train   = 3 · C_forward                                  (backward ≈ 2 × forward)
 * </pre>
 * N counts the weight matrices of the blocks only: embeddings, biases and layer norms are left out,
 * as in the paper. To that we add the tied output head, 2 · d · V FLOPs per token
 * ({@link #forwardPerToken(int, int, int, int)}): Kaplan et al. drop it because it is small for large
 * models, but with GPT-2's 50,257-token vocabulary and a small d it is most of the work (mini,
 * d = 256: 25.7 MFLOP per token in the head against 9.4 MFLOP in the six blocks).
 */
public final class Flops {
    /** Forward plus backward pass, in units of one forward pass. */
    public static final int TRAIN_FACTOR = 3;

    private Flops() {
    }

    /** N, the non-embedding parameter count of Kaplan et al. (weights of the blocks). */
    public static long nonEmbeddingParams(int layers, int dModel) {
        long d = dModel;
        return 2L * d * layers * (2 * d + 4 * d);
    }

    /** C_forward per token: 2N + 2 · n_layer · n_ctx · d. */
    public static double forwardPerToken(int layers, int dModel, int context) {
        return 2.0 * nonEmbeddingParams(layers, dModel) + 2.0 * layers * context * dModel;
    }

    /** The tied output head's matrix product: 2 · d · V FLOPs per token. */
    public static double headPerToken(int dModel, int vocab) {
        return 2.0 * dModel * vocab;
    }

    /** C_forward per token including the output head: 2N + 2 · n_layer · n_ctx · d + 2 · d · V. */
    public static double forwardPerToken(int layers, int dModel, int context, int vocab) {
        return forwardPerToken(layers, dModel, context) + headPerToken(dModel, vocab);
    }

    /**
     * Training compute of one step, split by where it goes.
     *
     * @param scoring the no-grad forward pass of the N candidates (selection)
     * @param update  forward and backward of the windows the LM trained on
     * @param reward  the forward pass(es) of the M held-out windows of the reward
     * @param il      the irreducible-loss model of RHO-LOSS (its training and its forward passes)
     */
    public record Breakdown(double scoring, double update, double reward, double il) {
        public static final Breakdown ZERO = new Breakdown(0, 0, 0, 0);

        public double total() {
            return scoring + update + reward + il;
        }

        public Breakdown plus(Breakdown o) {
            return new Breakdown(scoring + o.scoring, update + o.update, reward + o.reward, il + o.il);
        }
    }

    /**
     * The compute of one training step.
     *
     * @param perToken        C_forward of the LM
     * @param context         T, tokens per window
     * @param candidates      windows scored this step (N)
     * @param trained         windows the LM update trained on this step
     * @param heldoutBatch    M, held-out windows of the reward
     * @param pairedReward    the reward was measured before and after the update (two forward passes)
     * @param ilPerToken      C_forward of the irreducible-loss model
     * @param ilForwardTokens tokens the irreducible-loss model scored this step
     * @param ilTrainTokens   tokens the irreducible-loss model trained on this step
     */
    public static Breakdown step(double perToken, int context, long candidates, long trained, int heldoutBatch,
            boolean pairedReward, double ilPerToken, long ilForwardTokens, long ilTrainTokens) {
        double scoring = perToken * candidates * context;
        double update = TRAIN_FACTOR * perToken * trained * context;
        double reward = perToken * heldoutBatch * context * (pairedReward ? 2 : 1);
        double il = ilPerToken * ilForwardTokens + TRAIN_FACTOR * ilPerToken * ilTrainTokens;
        return new Breakdown(scoring, update, reward, il);
    }

    /**
     * The compute of one training step from the tokens each pass forwarded, as the trainer logs them
     * ({@code scoring_forward_tokens}, {@code reward_forward_tokens}, ...): a pass that did not run costs nothing.
     *
     * @param perToken        C_forward of the LM
     * @param scoringTokens   tokens of the no-grad scoring pass over the candidates
     * @param updateTokens    tokens the LM update trained on (forward and backward)
     * @param rewardTokens    tokens of the reward's held-out forward passes (both of a paired reward)
     * @param ilPerToken      C_forward of the irreducible-loss model
     * @param ilForwardTokens tokens the irreducible-loss model scored
     * @param ilTrainTokens   tokens the irreducible-loss model trained on
     */
    public static Breakdown passes(double perToken, long scoringTokens, long updateTokens, long rewardTokens,
            double ilPerToken, long ilForwardTokens, long ilTrainTokens) {
        return new Breakdown(perToken * scoringTokens, TRAIN_FACTOR * perToken * updateTokens, perToken * rewardTokens,
                ilPerToken * ilForwardTokens + TRAIN_FACTOR * ilPerToken * ilTrainTokens);
    }

    /** One evaluation pass over the fixed evaluation set (not part of training compute). */
    public static double evaluation(double perToken, int context, int evalWindows) {
        return perToken * evalWindows * context;
    }
}
