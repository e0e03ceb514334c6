package dev.curlab.util;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Strategies by command-line name: the one way curlab names a selector ({@code --selector}) or a
 * curator ({@code --curator}). Built once from the entries each package lists, so no static
 * initialiser calls back into the class that holds it; a library user may {@link #register} a
 * strategy of their own beside them. An unknown name is a one-line {@link UserError} naming the
 * option and the known names.
 *
 * @param <C> what a factory reads (the run's settings)
 * @param <T> the strategy
 */
public final class Registry<C, T> {

    /** One named strategy: its name, a one-line description for --help, and how to make it. */
    public record Entry<C, T>(String name, String description, Function<C, T> factory) {
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

    public static <C, T> Entry<C, T> entry(String name, String description, Function<C, T> factory) {
        return new Entry<>(name, description, factory);
    }

    /** Adds a strategy of the user's (a library caller's own curriculum); a name already taken is refused. */
    public synchronized void register(Entry<C, T> e) {
        if (entries.putIfAbsent(e.name(), e) != null) {
            throw new IllegalArgumentException(option + ": '" + e.name() + "' is already registered");
        }
    }

    /** The strategy {@code name} made for {@code context}; an unknown name fails in one line. */
    public synchronized T create(String name, C context) {
        Entry<C, T> e = entries.get(name);
        if (e == null) {
            throw new UserError(option + ": unknown " + noun + " '" + name + "' (expected one of " + String.join(", ", names()) + ")");
        }
        return e.factory().apply(context);
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
