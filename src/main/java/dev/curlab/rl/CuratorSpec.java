package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@code --curator} value: a name and optional settings, {@code NAME?key=value&key=value} (the
 * query form of {@code --tasks builtin:arith?families=...}; quote it in a shell). Each curator reads
 * its keys with a default and rejects unknown or malformed ones in one line naming the key.
 */
public final class CuratorSpec {
    private final String spec;
    private final String name;
    private final Map<String, String> values = new LinkedHashMap<>();

    public CuratorSpec(String spec) {
        this.spec = spec;
        int q = spec.indexOf('?');
        this.name = q < 0 ? spec : spec.substring(0, q);
        if (q >= 0) {
            for (String kv : spec.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new UserError("--curator " + spec + ": expected key=value after '?', got '" + kv + "'");
                }
                if (values.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                    throw new UserError("--curator " + spec + ": setting '" + kv.substring(0, eq) + "' is given twice; give it once");
                }
            }
        }
    }

    public String name() {
        return name;
    }

    /** Fails on a key that none of {@code known} names. */
    public void allowOnly(Set<String> known) {
        for (String k : values.keySet()) {
            if (known.isEmpty()) {
                throw new UserError("--curator " + spec + ": " + name + " takes no settings, got '" + k + "'");
            }
            if (!known.contains(k)) {
                throw new UserError("--curator " + spec + ": unknown setting '" + k + "' of " + name + " (expected one of "
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
        throw new UserError("--curator " + spec + ": " + key + " must be an integer >= " + min + ", got '" + v + "'");
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
        throw new UserError("--curator " + spec + ": " + key + " must be a number in [" + min + ", " + max + "], got '" + v + "'");
    }

    public String choice(String key, String dflt, Set<String> allowed) {
        String v = values.getOrDefault(key, dflt);
        if (!allowed.contains(v)) {
            throw new UserError("--curator " + spec + ": " + key + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ", got '" + v + "'");
        }
        return v;
    }
}
