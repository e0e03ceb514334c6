package dev.curlab.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Strategies by command-line name: the one way curlab names a selector ({@code --selector}) or a
 * curator ({@code --curator}). Built once from the entries each package lists, so no static
 * initialiser calls back into the class that holds it; a library user may {@link #register} a
 * strategy of their own beside them. An unknown name is a one-line {@link UserError} naming the
 * option and the known names.
 *
 * <p>A value may carry settings, {@code NAME?key=value&...} ({@link StrategySpec}). Each entry holds
 * its own settings parser beside its factory, so the keys a strategy accepts are known in one place:
 * {@link #check} runs the parser alone (before a bank or a model exists), {@link #create} runs it and
 * hands the parsed settings to the factory. An entry without a parser takes no settings.
 *
 * @param <C> what a factory reads (the run's settings)
 * @param <T> the strategy
 */
public final class Registry<C, T> {

    /**
     * Reads a strategy's settings from its value, with their defaults; an unknown key or a bad value is a
     * one-line {@link UserError}. {@code batch} is B, the one run setting a default may read.
     */
    @FunctionalInterface
    public interface Settings<S> {
        S parse(StrategySpec spec, int batch);
    }

    /** Takes no settings: any key is refused. */
    private static final Settings<Void> NONE = (spec, batch) -> {
        spec.allowOnly(Set.of());
        return null;
    };

    /** One named strategy: its name, a one-line description for --help, its settings parser and how to make it. */
    public record Entry<C, T>(String name, String description, Settings<?> settings, BiFunction<C, Object, T> factory) {
    }

    private final String option;
    private final String noun;
    private final Map<String, Entry<C, T>> entries = new LinkedHashMap<>();

    /**
     * {@code option} and {@code noun} name the flag and the kind in error messages ({@code --selector},
     * {@code selector}). Duplicate names are a programming error.
     */
    public Registry(String option, String noun, List<Entry<C, T>> list) {
        this.option = option;
        this.noun = noun;
        for (Entry<C, T> e : list) {
            if (entries.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException(option + ": '" + e.name() + "' is registered twice");
            }
        }
    }

    /** A strategy that takes no settings. */
    public static <C, T> Entry<C, T> entry(String name, String description, Function<C, T> factory) {
        return new Entry<>(name, description, NONE, (c, s) -> factory.apply(c));
    }

    /** A strategy whose settings {@code settings} parses; the factory receives them parsed. */
    @SuppressWarnings("unchecked")
    public static <C, T, S> Entry<C, T> entry(String name, String description, Settings<S> settings, BiFunction<C, S, T> factory) {
        return new Entry<>(name, description, settings, (c, s) -> factory.apply(c, (S) s));
    }

    /** Adds a strategy of the user's (a library caller's own curriculum); a name already taken is refused. */
    public synchronized void register(Entry<C, T> e) {
        if (entries.putIfAbsent(e.name(), e) != null) {
            throw new IllegalArgumentException(option + ": '" + e.name() + "' is already registered");
        }
    }

    /** {@code value} ({@code NAME?key=value&...}) parsed as given to this registry's option. */
    public StrategySpec spec(String value) {
        return new StrategySpec(option, value);
    }

    /** Checks a value before anything runs: a known name, and settings that strategy takes. Returns its settings. */
    public Object check(StrategySpec spec, int batch) {
        return entry(spec.name()).settings().parse(spec, batch);
    }

    /** The strategy {@code value} names, made for {@code context} (a default that reads B sees 0). */
    public T create(String value, C context) {
        return create(spec(value), 0, context);
    }

    /** The strategy {@code spec} names, its settings parsed (B = {@code batch}), made for {@code context}. */
    public T create(StrategySpec spec, int batch, C context) {
        Entry<C, T> e = entry(spec.name());
        return e.factory().apply(context, e.settings().parse(spec, batch));
    }

    /** The entry {@code name}; an unknown name fails in one line. */
    private synchronized Entry<C, T> entry(String name) {
        Entry<C, T> e = entries.get(name);
        if (e == null) {
            throw new UserError(option + ": unknown " + noun + " '" + name + "' (expected one of " + String.join(", ", names()) + ")");
        }
        return e;
    }

    public synchronized boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The names in registration order. */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(entries.keySet()));
    }

    /** "name  description" lines for --help. */
    public synchronized String describe() {
        StringBuilder sb = new StringBuilder();
        for (Entry<C, T> e : entries.values()) {
            sb.append(String.format("  %-16s %s%n", e.name(), e.description()));
        }
        return sb.toString();
    }
}
