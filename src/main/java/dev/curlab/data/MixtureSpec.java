package dev.curlab.data;

import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parsed spec {@code builtin:mixture?noise=0.4&duplicates=0.1&arithmetic=1&grammar=1&copy=1}.
 *
 * <p>{@code noise} and {@code duplicates} are shares of the TRAIN stream (defaults 0.4 and 0.1),
 * each in [0, 1) with a sum below 1. The learnable sources share the remainder in proportion to
 * their weights (default 1 each; non-negative, not all zero). Every key is optional.
 *
 * @param noise      share of noise windows in TRAIN
 * @param duplicates share of duplicate windows in TRAIN
 * @param arithmetic weight of arithmetic among the learnable sources
 * @param grammar    weight of grammar among the learnable sources
 * @param copy       weight of copy among the learnable sources
 */
public record MixtureSpec(double noise, double duplicates, double arithmetic, double grammar, double copy) {
    public static final String NAME = "builtin:mixture";
    public static final double DEFAULT_NOISE = 0.4;
    public static final double DEFAULT_DUPLICATES = 0.1;
    private static final String VALID_KEYS = "noise, duplicates, arithmetic, grammar, copy";

    public MixtureSpec {
        checkShare("noise", noise);
        checkShare("duplicates", duplicates);
        if (noise + duplicates >= 1) {
            throw new UserError(NAME + ": noise + duplicates must be below 1, got " + (noise + duplicates));
        }
        checkWeight("arithmetic", arithmetic);
        checkWeight("grammar", grammar);
        checkWeight("copy", copy);
        if (arithmetic + grammar + copy <= 0) {
            throw new UserError(NAME + ": the weights of arithmetic, grammar and copy must not all be zero");
        }
    }

    /** The default mixture: noise 0.4, duplicates 0.1, equal learnable weights. */
    public static MixtureSpec defaults() {
        return new MixtureSpec(DEFAULT_NOISE, DEFAULT_DUPLICATES, 1, 1, 1);
    }

    /** Parses {@code builtin:mixture} with an optional {@code ?key=value&...} query. */
    public static MixtureSpec parse(String spec) {
        int q = spec.indexOf('?');
        String name = q < 0 ? spec : spec.substring(0, q);
        if (!name.equals(NAME)) {
            throw new UserError("unknown builtin data '" + name + "' (expected " + NAME + " or " + SkillsSpec.NAME + ")");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("noise", DEFAULT_NOISE);
        values.put("duplicates", DEFAULT_DUPLICATES);
        values.put("arithmetic", 1.0);
        values.put("grammar", 1.0);
        values.put("copy", 1.0);
        if (q >= 0 && q + 1 < spec.length()) {
            for (String pair : spec.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (!values.containsKey(key)) {
                    throw new UserError(NAME + ": unknown key '" + key + "' (valid keys: " + VALID_KEYS + ")");
                }
                if (eq < 0) {
                    throw new UserError(NAME + ": key '" + key + "' needs a value, e.g. " + key + "=0.5");
                }
                values.put(key, number(key, pair.substring(eq + 1)));
            }
        }
        return new MixtureSpec(values.get("noise"), values.get("duplicates"),
                values.get("arithmetic"), values.get("grammar"), values.get("copy"));
    }

    /** Probability of each {@link MixtureSource} (in enum order) for a stream of this role. */
    public double[] probabilities(Role role) {
        double learnableWeight = arithmetic + grammar + copy;
        double learnableShare = role == Role.TRAIN ? 1 - noise - duplicates : 1;
        double[] p = new double[MixtureSource.values().length];
        p[MixtureSource.ARITHMETIC.ordinal()] = learnableShare * arithmetic / learnableWeight;
        p[MixtureSource.GRAMMAR.ordinal()] = learnableShare * grammar / learnableWeight;
        p[MixtureSource.COPY.ordinal()] = learnableShare * copy / learnableWeight;
        p[MixtureSource.NOISE.ordinal()] = role == Role.TRAIN ? noise : 0;
        p[MixtureSource.DUPLICATES.ordinal()] = role == Role.TRAIN ? duplicates : 0;
        return p;
    }

    /** The canonical spec string, every key spelled out. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s?noise=%s&duplicates=%s&arithmetic=%s&grammar=%s&copy=%s",
                NAME, noise, duplicates, arithmetic, grammar, copy);
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserError(NAME + ": " + key + " must be a number, got '" + text + "'");
        }
    }

    private static void checkShare(String key, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new UserError(NAME + ": " + key + " is a share of the stream and must be in [0, 1), got " + v);
        }
    }

    private static void checkWeight(String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UserError(NAME + ": " + key + " is a weight and must be a finite number >= 0, got " + v);
        }
    }
}
