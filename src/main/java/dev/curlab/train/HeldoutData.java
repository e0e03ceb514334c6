package dev.curlab.train;

import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.HeldoutSplit;
import dev.curlab.data.Role;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.util.UserError;
import java.util.List;

/**
 * The two held-out roles: the reward pool D (subsets of size M are drawn from it each step) and the
 * fixed evaluation set (reported perplexity comes only from it). For builtin data both are drawn
 * from the target distribution with role-specific seeds; a single held-out file is split
 * deterministically into the two; with {@code --eval} each comes from its own spec.
 *
 * @param spec   the held-out spec actually used
 * @param reward the reward pool D
 * @param eval   the evaluation set
 */
public record HeldoutData(String spec, List<Window> reward, List<Window> eval) {

    public static HeldoutData load(TrainConfig cfg, Tokenizer tok) {
        String spec = cfg.heldout();
        if (spec == null) {
            if (!DataSpecs.isBuiltin(cfg.data())) {
                throw new UserError("--heldout is required when --data is a file or directory");
            }
            spec = cfg.data();
        }
        List<Window> reward;
        List<Window> eval;
        if (cfg.eval() != null) {
            reward = take(spec, tok, cfg, Role.HELDOUT, cfg.heldoutWindows());
            eval = take(cfg.eval(), tok, cfg, Role.EVAL, cfg.evalWindows());
        } else if (DataSpecs.isBuiltin(spec)) {
            reward = take(spec, tok, cfg, Role.HELDOUT, cfg.heldoutWindows());
            eval = take(spec, tok, cfg, Role.EVAL, cfg.evalWindows());
        } else {
            List<Window> all = take(spec, tok, cfg, Role.HELDOUT, cfg.heldoutWindows() + cfg.evalWindows());
            if (all.size() < cfg.heldoutBatch() + 1) {
                throw new UserError("--heldout " + spec + " has only " + all.size() + " windows of " + (cfg.context() + 1)
                        + " tokens; it needs at least --heldout-batch (M = " + cfg.heldoutBatch() + ") + 1 to give rewards and an evaluation set");
            }
            HeldoutSplit split = HeldoutSplit.split(all, Math.min(cfg.evalWindows(), all.size() / 2));
            reward = split.reward();
            eval = split.eval();
        }
        if (reward.size() < cfg.heldoutBatch()) {
            throw new UserError("--heldout " + spec + " has only " + reward.size() + " reward windows of "
                    + (cfg.context() + 1) + " tokens; --heldout-batch (M = " + cfg.heldoutBatch() + ") needs at least M");
        }
        return new HeldoutData(spec, reward, eval);
    }

    private static List<Window> take(String spec, Tokenizer tok, TrainConfig cfg, Role role, int count) {
        try (DataSource src = DataSpecs.open(spec, tok, cfg.context(), cfg.seed(), role)) {
            return DataSpecs.take(src, count);
        }
    }
}
