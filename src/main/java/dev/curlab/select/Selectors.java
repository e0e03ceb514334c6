package dev.curlab.select;

import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of selectors by command-line name, each with a one-line description. */
public final class Selectors {
    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("random", "uniform choice among the N candidates",
                c -> new RandomSelector(c.seed(), c.settings().selectBatch()));
        dev.curlab.select.baselines.Baselines.registerAll();
        dev.curlab.select.softq.SoftQSelectors.registerAll();
    }

    private Selectors() {
    }

    /** One registered selector. */
    public record Entry(String name, String description, Function<SelectorContext, Selector> factory) {
    }

    public static synchronized void register(String name, String description, Function<SelectorContext, Selector> factory) {
        REGISTRY.put(name, new Entry(name, description, factory));
    }

    public static Selector create(String name, SelectorContext context) {
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new UserError("--selector: unknown selector '" + name + "' (expected one of " + String.join(", ", REGISTRY.keySet()) + ")");
        }
        if (context.settings().selectBatch() > context.candidates()) {
            throw new UserError("--select-batch (" + context.settings().selectBatch() + ") must not exceed --candidates (" + context.candidates() + ")");
        }
        return e.factory().apply(context);
    }

    public static boolean exists(String name) {
        return REGISTRY.containsKey(name);
    }

    public static Map<String, Entry> all() {
        return java.util.Collections.unmodifiableMap(REGISTRY);
    }

    /** "name  description" lines for --help. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : REGISTRY.values()) {
            sb.append(String.format("  %-16s %s%n", e.name(), e.description()));
        }
        return sb.toString();
    }
}
