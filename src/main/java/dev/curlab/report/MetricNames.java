package dev.curlab.report;

import java.util.Map;

/** Human names, with units, for the metrics fields the report plots (the table in docs/metrics.md, short). */
final class MetricNames {
    private MetricNames() {
    }

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("eval_loss", "eval loss (nats/token)"),
            Map.entry("train_loss", "train loss on the picked window (nats/token)"),
            Map.entry("reward", "reward (nats/token)"),
            Map.entry("lr", "learning rate"),
            Map.entry("policy_entropy_norm", "policy entropy / ln N"),
            Map.entry("q_mean", "Q mean over the candidates"),
            Map.entry("q_std", "Q standard deviation over the candidates"),
            Map.entry("td_loss", "TD loss ½(q − y)²"),
            Map.entry("selected_difficulty", "difficulty of the picked window"),
            Map.entry("examples_trained", "examples trained"),
            Map.entry("step", "training step"));

    /** The human name of a field; {@code policy_mass_<source>} and {@code eval_loss_<source>} name their source. */
    static String of(String field) {
        if (NAMES.containsKey(field)) {
            return NAMES.get(field);
        }
        if (field.startsWith("policy_mass_")) {
            return "policy mass on " + field.substring("policy_mass_".length());
        }
        if (field.startsWith("eval_loss_")) {
            return "eval loss on " + field.substring("eval_loss_".length());
        }
        return field.replace('_', ' ');
    }
}
