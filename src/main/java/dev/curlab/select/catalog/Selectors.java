package dev.curlab.select.catalog;

import dev.curlab.select.RandomSelector;
import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.select.baselines.Baselines;
import dev.curlab.select.softq.SoftQSelectors;
import dev.curlab.util.Registry;
import dev.curlab.util.StrategySpec;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every selector by command-line name ({@code --selector}), in one immutable {@link Registry} built
 * from the lists each package gives. It sits above {@code select}, {@code select.baselines} and
 * {@code select.softq}, so no package depends back on the one that lists it.
 */
public final class Selectors {
    private static final Registry<SelectorContext, Selector> REGISTRY = new Registry<>("--selector", "selector", all());

    private Selectors() {
    }

    private static List<Registry.Entry<SelectorContext, Selector>> all() {
        List<Registry.Entry<SelectorContext, Selector>> list = new ArrayList<>();
        list.add(Registry.entry("random", "uniform choice among the N candidates",
                c -> new RandomSelector(c.seed(), c.settings().selectBatch())));
        list.addAll(Baselines.entries());
        list.addAll(SoftQSelectors.entries());
        return list;
    }

    /**
     * The selector {@code value} names, made for {@code context}. Selectors take their settings as flags
     * ({@code --beta}, {@code --loss-temperature}), so a value with {@code ?key=value} settings is refused
     * in one line naming the key, as an unknown name is.
     */
    public static Selector create(String value, SelectorContext context) {
        StrategySpec spec = REGISTRY.spec(value);
        int b = context.settings().selectBatch();
        REGISTRY.check(spec, b);                                                   // the name and settings first
        if (b > context.candidates()) {
            throw new UserError("--select-batch (" + b + ") must not exceed --candidates (" + context.candidates() + ")");
        }
        return REGISTRY.create(spec, b, context);
    }

    /** Checks a {@code --selector} value before anything runs: a known name, and settings that selector takes. */
    public static void check(String value, int selectBatch) {
        REGISTRY.check(REGISTRY.spec(value), selectBatch);
    }

    /** Adds a selector of your own under {@code name} (an existing name is refused). */
    public static void register(String name, String description, java.util.function.Function<SelectorContext, Selector> factory) {
        REGISTRY.register(Registry.entry(name, description, factory));
    }

    public static boolean exists(String name) {
        return REGISTRY.contains(name);
    }

    /** The names in registration order. */
    public static Set<String> names() {
        return REGISTRY.names();
    }

    /** "name  description" lines for --help. */
    public static String describe() {
        return REGISTRY.describe();
    }
}
