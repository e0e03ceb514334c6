package dev.curlab.report.tensorboard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one table from metrics.jsonl keys to TensorBoard tags (docs/workflow.md lists it). A rule is a
 * key, or a key prefix ending in {@code *}, or a suffix starting with {@code *}; the first matching
 * rule of the run's loop ({@code train} or {@code rl}) wins, then the shared rules, then the loop's
 * default namespace. {@code *} in the tag is the key's matched part. A map of numbers under a key
 * becomes one tag per entry ({@code tag/entry}). A tag already written at this step or a later one is
 * skipped (an eval record repeats the step record's counters), and so is a step record's copy of the
 * last evaluation's result.
 */
public final class ScalarTags {
    private record Rule(String loop, String key, String tag) {
    }

    /** Keys that are not curves: identifiers, labels, texts, histograms. */
    static final List<String> SKIPPED = List.of("kind", "step", "selected_window", "selected_source", "heldout_examples",
            "heldout_pass_at_k_correct");

    /** Keys that a step record repeats from the last evaluation (RL's step lines carry the latest held-out accuracy). */
    static final List<String> SKIPPED_IN_STEPS = List.of("heldout_accuracy");

    private static final List<Rule> RULES = List.of(
            // pretraining selection (train)
            new Rule("train", "train_loss", "train/loss"),
            new Rule("train", "grad_norm", "train/grad_norm"),
            new Rule("train", "lr", "train/lr"),
            new Rule("train", "reward", "train/reward"),
            new Rule("train", "heldout_logprob", "train/heldout_logprob"),
            new Rule("train", "nonfinite_skips", "train/nonfinite_skips"),
            new Rule("train", "eval_loss", "eval/loss"),
            new Rule("train", "eval_ppl", "eval/ppl"),
            new Rule("train", "eval_loss_*", "eval/loss_by_source/*"),
            new Rule("train", "examples_trained", "progress/examples_trained"),
            new Rule("train", "candidates_seen", "progress/candidates_seen"),
            new Rule("train", "selected_loss", "select/selected_loss"),
            new Rule("train", "selected_difficulty", "select/selected_difficulty"),
            new Rule("train", "policy_mass_*", "select/policy_mass/*"),
            // RL
            new Rule("rl", "reward_mean", "rl/reward_mean"),
            new Rule("rl", "zero_variance_share", "rl/zero_std_share_so_far"),
            new Rule("rl", "zero_variance_groups", "rl/zero_std_groups"),
            new Rule("rl", "policy_loss", "rl/policy_loss"),
            new Rule("rl", "grad_norm", "rl/grad_norm"),
            new Rule("rl", "kl", "rl/kl"),
            new Rule("rl", "heldout_accuracy", "rl/pass_at_1"),
            new Rule("rl", "heldout_accuracy_by_source", "rl/pass_at_1_by_source"),
            new Rule("rl", "heldout_pass_at_k", "rl/pass_at_k"),
            new Rule("rl", "picked_buckets", "rl/picked_bucket"),
            new Rule("rl", "rollouts", "progress/rollouts"),
            new Rule("rl", "problems_used", "progress/problems_used"),
            new Rule("rl", "tokens_generated", "progress/tokens_generated"),
            // RL compute ledger (TRL's and verl's names where they exist)
            new Rule("rl", "frac_reward_zero_std", "rl/frac_reward_zero_std"),
            new Rule("rl", "acc_mean", "rl/acc_mean"),
            new Rule("rl", "reward_mean_trained", "rl/reward_mean_trained"),
            new Rule("rl", "optimizer_steps", "ledger/optimizer_steps"),
            new Rule("rl", "rollouts_*", "ledger/rollouts_*"),
            new Rule("rl", "tokens_generated_probe", "ledger/tokens_generated_probe"),
            new Rule("rl", "gen_rounds", "ledger/gen_rounds"),
            new Rule("rl", "groups_*", "ledger/groups_*"),
            // both loops
            new Rule("*", "task/*", "task/*"),
            new Rule("*", "flops*", "cost/flops*"),
            new Rule("*", "heldout_pass_at_k_flops", "cost/pass_at_k_flops"),
            new Rule("*", "*_tokens", "cost/*_tokens"),
            new Rule("*", "*_ms", "time/*_ms"),
            new Rule("*", "*_sec", "time/*_sec"));

    /** The namespace of a key no rule names: the selector's metrics in train, the curator's in rl. */
    static String defaultNamespace(String loop) {
        return loop.equals("rl") ? "curator" : "select";
    }

    private final String loop;
    private final Map<String, Long> lastStep = new HashMap<>();

    public ScalarTags(String loop) {
        if (!loop.equals("train") && !loop.equals("rl")) {
            throw new IllegalArgumentException(loop);
        }
        this.loop = loop;
    }

    /** The tag of {@code key} in this loop (null for a skipped key). */
    public String tagOf(String key) {
        if (SKIPPED.contains(key)) {
            return null;
        }
        for (Rule r : RULES) {
            if (r.loop().equals(loop) || r.loop().equals("*")) {
                String m = match(r.key(), key);
                if (m != null) {
                    return r.tag().replace("*", m);
                }
            }
        }
        return defaultNamespace(loop) + "/" + key;
    }

    /** The part of {@code key} that the rule's {@code *} stands for ("" for an exact key), or null when it does not match. */
    private static String match(String pattern, String key) {
        if (pattern.endsWith("*")) {
            String p = pattern.substring(0, pattern.length() - 1);
            return key.startsWith(p) && key.length() > p.length() ? key.substring(p.length()) : null;
        }
        if (pattern.startsWith("*")) {
            String s = pattern.substring(1);
            return key.endsWith(s) && key.length() > s.length() ? key.substring(0, key.length() - s.length()) : null;
        }
        return pattern.equals(key) ? "" : null;
    }

    /** The scalars of one metrics record at {@code step}, in the record's order; tags already written at this step or later are left out. */
    public List<EventFile.Scalar> scalars(long step, Map<String, Object> record) {
        List<EventFile.Scalar> out = new ArrayList<>();
        boolean stepRecord = "step".equals(record.get("kind"));
        record.forEach((key, value) -> {
            String tag = tagOf(key);
            if (tag == null || stepRecord && SKIPPED_IN_STEPS.contains(key)) {
                return;
            }
            if (value instanceof Number n) {
                add(out, step, tag, n);
            } else if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (v instanceof Number n) {
                        add(out, step, tag + "/" + k, n);
                    }
                });
            }
        });
        return out;
    }

    private void add(List<EventFile.Scalar> out, long step, String tag, Number n) {
        double v = n.doubleValue();
        Long last = lastStep.get(tag);
        if (Double.isNaN(v) || (last != null && last >= step)) {
            return;
        }
        lastStep.put(tag, step);
        out.add(new EventFile.Scalar(tag, (float) v));
    }
}
