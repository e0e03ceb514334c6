package dev.curlab.util;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A strategy's command-line value ({@code --curator}, {@code --selector}): a name and optional settings,
 * {@code NAME?key=value&key=value} (the query form of {@code --tasks builtin:arith?families=...}; quote
 * it in a shell). A strategy's {@link Registry} entry reads its keys with a default and rejects unknown
 * or malformed ones in one line naming the option, the key and the accepted keys.
 */
public final class StrategySpec {
    private final String option;
    private final String spec;
    private final String name;
    private final Map<String, String> values = new LinkedHashMap<>();

    /** {@code option} names the flag in error messages ({@code --curator}). */
    public StrategySpec(String option, String spec) {
        this.option = option;
        this.spec = spec;
        int q = spec.indexOf('?');
        this.name = q < 0 ? spec : spec.substring(0, q);
        if (q >= 0) {
            for (String kv : spec.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new UserError(option + " " + spec + ": expected key=value after '?', got '" + kv + "'");
                }
                if (values.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                    throw new UserError(option + " " + spec + ": setting '" + kv.substring(0, eq) + "' is given twice; give it once");
                }
            }
        }
    }

    public String name() {
        return name;
    }

    /** The value as given, settings included. */
    public String value() {
        return spec;
    }

    /** The option it was given to ({@code --curator}). */
    public String option() {
        return option;
    }

    /** Fails on a key that none of {@code known} names. */
    public void allowOnly(Set<String> known) {
        for (String k : values.keySet()) {
            if (known.isEmpty()) {
                throw new UserError(option + " " + spec + ": " + name + " takes no settings, got '" + k + "'");
            }
            if (!known.contains(k)) {
                throw new UserError(option + " " + spec + ": unknown setting '" + k + "' of " + name + " (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    public int integer(String key, int dflt, int min) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v);
            if (x >= min) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(option + " " + spec + ": " + key + " must be an integer >= " + min + ", got '" + v + "'");
    }

    /** A finite number in [min, max]. */
    public double number(String key, double dflt, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double x = Double.parseDouble(v);
            if (Double.isFinite(x) && x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(option + " " + spec + ": " + key + " must be a number in [" + min + ", " + max + "], got '" + v + "'");
    }

    public String choice(String key, String dflt, Set<String> allowed) {
        String v = values.getOrDefault(key, dflt);
        if (!allowed.contains(v)) {
            throw new UserError(option + " " + spec + ": " + key + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got '" + v + "'");
        }
        return v;
    }
}
