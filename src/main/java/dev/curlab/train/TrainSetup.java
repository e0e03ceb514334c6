package dev.curlab.train;

import dev.curlab.data.DataSource;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import dev.curlab.model.GptConfig;
import dev.curlab.select.Selector;
import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pretraining run resolves from its config before the first step: the steps --budget-flops
 * affords, what config.json records besides the config, what the selector is told of the run, and
 * the labels it needs on every window.
 */
final class TrainSetup {
    private TrainSetup() {
    }

    /** The steps --budget-flops affords, every pass of this selector charged; at least one, and no fewer than --warmup. */
    static long affordableSteps(TrainConfig cfg, StepCost cost) {
        long k = cost.affordableSteps(cfg.budgetFlops());
        String what = String.format("--budget-flops %.4g affords %d step(s) of --selector %s (%.4g FLOPs per step", cfg.budgetFlops(), k,
                cfg.selector(), cost.perStep()) + (cost.once() > 0 ? String.format(", %.4g once", cost.once()) : "") + ")";
        UserError.require(k >= 1, what + "; raise the budget");
        UserError.require(k >= cfg.warmup(), what + ", fewer than --warmup " + cfg.warmup() + "; raise the budget or lower --warmup");
        return k;
    }

    /** What config.json records besides the config: what the run resolved from it (tokenizer, shape, reward kind, data...). */
    static Map<String, Object> resolved(TrainConfig cfg, GptConfig shape, Tokenizer tokenizer, String rewardKind, Selector selector,
            HeldoutData heldout, DataSource stream, String device) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("tokenizer", tokenizer.name());
        r.put("model", shape.shapeMap());
        r.put("parameters", shape.parameterCount());
        r.put("reward", rewardKind);
        if (cfg.budgetFlops() > 0) {
            r.put("budget_steps", cfg.steps());   // the steps --budget-flops affords (config.steps is not used)
        }
        GptConfig own = selector.ownShape();
        if (own != null) {                        // a selector's own model of another shape: RunData charges its FLOPs
            r.put("il_model", own.shapeMap());
        }
        r.put("heldout", heldout.spec());
        r.put("heldout_reward_windows", heldout.reward().size());
        r.put("eval_windows", heldout.eval().size());
        r.put("train_stream", stream.describe());
        r.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        r.put("device", device);
        return r;
    }

    static Map<String, Object> trainValues(TrainConfig c) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("optimizer", c.optimizer().spelling());
        v.put("lr", c.lr());
        v.put("clip", c.clip());
        v.put("weight_decay", c.weightDecay());
        v.put("microbatch", c.microbatch());
        v.put("data", c.data());
        v.put("heldout_batch", c.heldoutBatch());
        return v;
    }

    static Map<String, Double> targetShares(List<Window> pool) {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (Window w : pool) {
            if (w.hasSource()) {
                counts.merge(w.source(), 1.0, Double::sum);
            }
        }
        counts.replaceAll((k, v) -> v / pool.size());
        return counts;
    }

    /** Refuses windows that lack a label the selector needs, naming the window. */
    static void requireLabels(Selector selector, TrainConfig cfg, List<Window> windows) {
        for (Selector.Label label : selector.requires()) {
            for (Window w : windows) {
                boolean has = label == Selector.Label.SOURCE ? w.hasSource() : w.hasDifficulty();
                if (!has) {
                    throw new UserError("--selector " + selector.name() + " needs a '" + label.name().toLowerCase()
                            + "' label on every training window, but --data " + cfg.data() + " has a window without one (window "
                            + w.id() + ")");
                }
            }
        }
    }
}
