package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The few lines a run prints about its configuration when it starts: the settings a reader scans for
 * (data, selector or curator, model, steps, batch sizes, learning rate, seed) and where the rest is.
 * Every resolved setting stays in the run's config.json (the JSON used to be printed here in full).
 */
final class ConfigSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** config keys shown, in order, with the short name printed for each. */
    private static final String[][] SHOWN = {
        {"data", "data"}, {"tasks", "tasks"}, {"heldout", "held-out"}, {"initFrom", "init-from"}, {"selector", "selector"},
        {"curator", "curator"}, {"reward", "reward"}, {"steps", "steps"}, {"candidates", "N"}, {"batch", "B"}, {"group", "G"},
        {"maxNew", "max-new"}, {"optimizer", "optimizer"}, {"lr", "lr"}, {"klCoef", "kl-coef"}, {"seed", "seed"},
    };

    private ConfigSummary() {
    }

    /** "curlab LABEL with: ..." and a second line with the model, then where every setting is. */
    @SuppressWarnings("unchecked")
    static List<String> lines(String label, Object config, Map<String, Object> resolved, long fromStep) {
        Map<String, Object> c = config instanceof Map<?, ?> m ? (Map<String, Object>) m : JSON.convertValue(config, Map.class);
        List<String> parts = new ArrayList<>();
        for (String[] k : SHOWN) {
            Object v = c.get(k[0]);
            if (v != null && !(k[0].equals("heldout") && c.containsKey("tasks"))) {   // rl's --heldout is a count, shown as such
                parts.add(k[1] + " " + v);
            }
        }
        if (c.containsKey("tasks") && c.get("heldout") != null) {
            parts.add("held-out problems " + c.get("heldout"));
        }
        List<String> out = new ArrayList<>();
        out.add("curlab " + label + (fromStep > 0 ? " (resuming at step " + fromStep + ")" : "") + ": " + String.join(", ", parts));
        Object model = resolved == null ? null : resolved.get("model");
        StringBuilder m = new StringBuilder("  model " + c.getOrDefault("model", "?"));
        if (model instanceof Map<?, ?> shape) {
            m.append(" (").append(shape.get("layers")).append(" layers, d_model ").append(shape.get("d_model")).append(", context ")
                    .append(shape.get("context")).append(", vocab ").append(shape.get("vocab")).append(')');
        }
        if (resolved != null && resolved.get("parameters") instanceof Number p) {
            m.append(String.format(Locale.ROOT, ", %.2fM parameters", p.doubleValue() / 1e6));
        }
        if (resolved != null && resolved.get("tokenizer") != null) {
            m.append(", tokenizer ").append(resolved.get("tokenizer"));
        }
        out.add(m.toString());
        if (resolved != null && resolved.get("curator") instanceof Map<?, ?> settings && !settings.isEmpty()) {
            out.add("  curator settings: " + settings(settings));                    // with their defaults resolved
        }
        if ("soft-q".equals(c.get("selector")) && c.get("selectorSettings") instanceof Map<?, ?> sel
                && sel.get("softQ") instanceof Map<?, ?> softQ) {
            out.add("  soft-q settings: " + settings(softQ));                        // the resolved SoftQConfig
        }
        out.add("  every setting: the run's config.json");
        return out;
    }

    /** "key value, key value" in the strategy's own order. */
    static String settings(Map<?, ?> settings) {
        List<String> kv = new ArrayList<>();
        settings.forEach((k, v) -> kv.add(k + " " + v));
        return String.join(", ", kv);
    }
}
