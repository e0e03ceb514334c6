package dev.curlab.data;

import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The parsed spec {@code builtin:skills?digits=1&carry=1&...&target=sums+chain8+fg}.
 *
 * <p>Each skill's key ({@link Skill#tag()}) is its weight in the TRAIN stream (default 1 each;
 * finite, >= 0, not all zero): the skill's share is its weight over the sum. {@code target} names the
 * skills of the held-out and evaluation streams, joined by {@code +} (default the ends of the graph,
 * {@code sums+chain8+fg}), in equal shares whatever their training weights. Every key is optional.
 *
 * @param weights weight of each skill in TRAIN, in {@link Skill} order
 * @param target  the held-out target skills, in {@link Skill} order
 */
public record SkillsSpec(double[] weights, List<Skill> target) {
    public static final String NAME = "builtin:skills";
    public static final List<Skill> DEFAULT_TARGET = List.of(Skill.SUMS, Skill.CHAIN8, Skill.FG);

    public SkillsSpec {
        weights = weights.clone();
        if (weights.length != Skill.values().length) {
            throw new IllegalArgumentException("one weight per skill");
        }
        double sum = 0;
        for (Skill s : Skill.values()) {
            double w = weights[s.ordinal()];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new UserError(NAME + ": " + s.tag() + " is a weight and must be a finite number >= 0, got " + w);
            }
            sum += w;
        }
        if (sum <= 0) {
            throw new UserError(NAME + ": the skills' weights must not all be zero");
        }
        if (target.isEmpty()) {
            throw new UserError(NAME + ": target needs at least one skill, e.g. target=fg");
        }
        List<Skill> ordered = new ArrayList<>(target);
        ordered.sort(null);
        target = List.copyOf(ordered);
    }

    /** Equal weights, the default target. */
    public static SkillsSpec defaults() {
        double[] w = new double[Skill.values().length];
        Arrays.fill(w, 1);
        return new SkillsSpec(w, DEFAULT_TARGET);
    }

    public static boolean matches(String spec) {
        return spec.equals(NAME) || spec.startsWith(NAME + "?");
    }

    /** Parses {@code builtin:skills} with an optional {@code ?key=value&...} query. */
    public static SkillsSpec parse(String spec) {
        if (!matches(spec)) {
            throw new UserError("unknown builtin data '" + spec + "' (expected " + NAME + ")");
        }
        double[] weights = defaults().weights();
        List<Skill> target = DEFAULT_TARGET;
        int q = spec.indexOf('?');
        if (q >= 0 && q + 1 < spec.length()) {
            for (String pair : spec.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                Skill skill = Skill.byTag(key);
                if (skill == null && !key.equals("target")) {
                    throw new UserError(NAME + ": unknown key '" + key + "' (valid keys: " + validKeys() + ")");
                }
                if (eq < 0) {
                    throw new UserError(NAME + ": key '" + key + "' needs a value, e.g. "
                            + (skill == null ? "target=fg" : key + "=0.5"));
                }
                String value = pair.substring(eq + 1);
                if (skill == null) {
                    target = skills(value);
                } else {
                    weights[skill.ordinal()] = number(key, value);
                }
            }
        }
        return new SkillsSpec(weights, target);
    }

    /** Share of each skill (in {@link Skill} order) in a stream of this role. */
    public double[] probabilities(Role role) {
        double[] p = new double[weights.length];
        if (role == Role.TRAIN) {
            double sum = Arrays.stream(weights).sum();
            for (int i = 0; i < p.length; i++) {
                p[i] = weights[i] / sum;
            }
        } else {
            for (Skill s : target) {
                p[s.ordinal()] = 1.0 / target.size();
            }
        }
        return p;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The canonical spec string, every key spelled out. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(NAME).append('?');
        for (Skill k : Skill.values()) {
            s.append(k.tag()).append('=').append(String.format(Locale.ROOT, "%s", weights[k.ordinal()])).append('&');
        }
        s.append("target=");
        for (int i = 0; i < target.size(); i++) {
            s.append(i > 0 ? "+" : "").append(target.get(i).tag());
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkillsSpec s && Arrays.equals(s.weights, weights) && s.target.equals(target);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + target.hashCode();
    }

    private static List<Skill> skills(String value) {
        List<Skill> out = new ArrayList<>();
        for (String tag : value.split("\\+", -1)) {
            Skill s = Skill.byTag(tag);
            if (s == null) {
                throw new UserError(NAME + ": target: unknown skill '" + tag + "' (skills: " + skillTags() + ")");
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static String skillTags() {
        StringBuilder s = new StringBuilder();
        for (Skill k : Skill.values()) {
            s.append(s.length() > 0 ? ", " : "").append(k.tag());
        }
        return s.toString();
    }

    private static String validKeys() {
        return skillTags() + ", target";
    }

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UserError(NAME + ": " + key + " must be a number, got '" + text + "'");
        }
    }
}
