package dev.curlab.cli;

import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A named {@code curlab compare} grid, so a benchmark is one command. Everything it does not name
 * stays the product default (model nano, context 64, N = M = 16, ...). Presets run five seeds: enough
 * pairs for the paired bootstrap intervals of {@code stats.md} to separate real differences from noise.
 *
 * @param name        what {@code --preset} takes
 * @param description one line for the help text
 * @param selectors   the selectors compared (--selectors)
 * @param seeds       seeds 0..seeds-1 (--seeds)
 * @param steps       training steps per run (--steps)
 * @param data        training stream spec (--data); null when the user gives it (see {@code userGives})
 * @param trainArgs   further options, as on the command line, e.g. [--reward, paired-delta]
 * @param userGives   options the user must give, with a placeholder value each, e.g. --data DIR/train
 * @param whereFrom   how to make what {@code userGives} names, for the error when some is missing
 */
record ComparePreset(String name, String description, List<String> selectors, int seeds, long steps, String data,
        List<String> trainArgs, Map<String, String> userGives, String whereFrom) {

    /** Every selector, in the order the tables list them. */
    static final List<String> EVERY_SELECTOR = List.of("random", "stratified", "loss", "uncertainty", "competence", "alp-bandit", "rho-loss",
            "oracle-mixture", "soft-q", "greats", "odm");

    /** The known presets, by name. */
    static final Map<String, ComparePreset> ALL = byName(
            new ComparePreset("headline", "the headline evaluation: every selector, 5 seeds, one shared paired-delta reward",
                    EVERY_SELECTOR, 5, 1500, "builtin:mixture", List.of("--reward", "paired-delta"), Map.of(), ""),
            new ComparePreset("debian", "the Debian-text set (docs/RESULTS.md, D): every selector, 5 seeds, bytes,"
                    + " paired-delta reward, target 2.75 nats; the data from scripts/debian-text.py DIR",
                    EVERY_SELECTOR, 5, 1000, null,
                    List.of("--tokenizer", "bytes", "--reward", "paired-delta", "--target-loss", "2.75"),
                    ordered("--data", "DIR/train", "--heldout", "DIR/heldout.jsonl"), "scripts/debian-text.py DIR builds DIR"),
            new ComparePreset("equal-compute", "selection at equal compute (docs/RESULTS.md, Q): random, stratified, rho-loss, soft-q and"
                    + " competence, 5 seeds, a budget of 1.2e11 FLOPs each with cosine decay to the end of its budget"
                    + " (the reference: random), cheap selection (pico IL model, N 4, 16-token scoring)",
                    List.of("random", "stratified", "rho-loss", "soft-q", "competence"), 5, 1000, "builtin:mixture",
                    List.of("--budget-flops", "1.2e11", "--lr-schedule", "cosine", "--candidates", "4", "--heldout-batch", "2",
                            "--score-tokens", "16", "--il-model", "pico", "--il-steps", "300", "--heldout-windows", "256",
                            "--eval-windows", "64", "--eval-every", "80"), Map.of(), ""));

    ComparePreset {
        selectors = List.copyOf(selectors);
        trainArgs = List.copyOf(trainArgs);
        userGives = Collections.unmodifiableMap(new LinkedHashMap<>(userGives));
    }

    /** The preset called {@code name}; a one-line error naming the known ones otherwise. */
    static ComparePreset named(String name) {
        ComparePreset p = ALL.get(name);
        UserError.require(p != null, "--preset: unknown preset '" + name + "' (expected one of " + names() + ")");
        return p;
    }

    /** The known preset names, comma-separated. */
    static String names() {
        return String.join(", ", ALL.keySet());
    }

    /** The command-line options this preset stands for (without those the user gives). */
    List<String> arguments() {
        List<String> a = new ArrayList<>(List.of("--selectors", String.join(",", selectors), "--seeds", String.valueOf(seeds),
                "--steps", String.valueOf(steps)));
        if (data != null) {
            a.addAll(List.of("--data", data));
        }
        a.addAll(trainArgs);
        return a;
    }

    /** Fails, naming what is missing, unless every option in {@code userGives} was given ({@code given} tells). */
    void requireUserOptions(Predicate<String> given) {
        List<String> missing = userGives.keySet().stream().filter(o -> !given.test(o)).toList();
        if (!missing.isEmpty()) {
            throw new UserError("--preset " + name + " needs " + userOptions() + " (missing: " + String.join(", ", missing) + "; "
                    + whereFrom + ")");
        }
    }

    /** What the user must add, e.g. "--data DIR/train --heldout DIR/heldout.jsonl". */
    private String userOptions() {
        List<String> parts = new ArrayList<>();
        userGives.forEach((option, value) -> parts.add(option + " " + value));
        return String.join(" ", parts);
    }

    /** The help text's list of presets and what each runs, wrapped to the usage width. */
    static String describe() {
        StringBuilder sb = new StringBuilder(String.format("%nPresets (--preset NAME; options you give win over the preset's):%n"));
        for (ComparePreset p : ALL.values()) {
            if (p.name.length() > 9) {                         // a long name gets a line of its own
                sb.append(String.format("  %s%n", p.name)).append(wrap(" ".repeat(12), p.description));
            } else {
                sb.append(wrap(String.format("  %-10s", p.name), p.description));
            }
            sb.append(wrap(" ".repeat(12), String.join(" ", p.arguments())));
            if (!p.userGives.isEmpty()) {
                sb.append(wrap(" ".repeat(12), "you give: " + p.userOptions()));
            }
        }
        return sb.toString();
    }

    /** {@code text} after {@code first}, broken after spaces and commas into lines of at most 78 columns. */
    private static String wrap(String first, String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(first);
        for (String piece : text.split("(?<=[ ,])")) {
            if (line.length() + piece.strip().length() > 78 && !line.toString().isBlank()) {
                out.append(line.toString().stripTrailing()).append(String.format("%n"));
                line = new StringBuilder(" ".repeat(first.length()));
            }
            line.append(piece);
        }
        return out.append(line.toString().stripTrailing()).append(String.format("%n")).toString();
    }

    /** Completion candidates for picocli's ${COMPLETION-CANDIDATES} in the help text. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ALL.keySet().iterator();
        }
    }

    private static Map<String, String> ordered(String... optionValuePairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < optionValuePairs.length; i += 2) {
            m.put(optionValuePairs[i], optionValuePairs[i + 1]);
        }
        return m;
    }

    private static Map<String, ComparePreset> byName(ComparePreset... presets) {
        Map<String, ComparePreset> m = new LinkedHashMap<>();
        for (ComparePreset p : presets) {
            m.put(p.name, p);
        }
        return Collections.unmodifiableMap(m);
    }
}
