package dev.curlab.rl;

import java.util.Map;
import java.util.TreeMap;

/**
 * One verifiable problem: a prompt, its reference answer, an optional source (a builtin family) and
 * numeric parameters (a builtin generator's, or a user bank's {@code params}), kept in name order.
 *
 * @param id     position in its bank's stream (or line order of a user bank)
 * @param source family or user-given source; null when none
 */
public record Problem(long id, String source, String prompt, String answer, Map<String, Double> params) {

    public Problem {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * The problem's content key: its prompt trimmed, each run of whitespace one space, case kept
     * ({@code "Q:  2+2 ="} and {@code "Q: 2+2 ="} are one problem, {@code "q: 2+2 ="} another). Banks keep
     * training and held-out problems disjoint by this key and drop duplicates by it.
     */
    public static String key(String prompt) {
        return prompt.strip().replaceAll("\\s+", " ");
    }

    /** {@link #key(String)} of this problem's prompt. */
    public String key() {
        return key(prompt);
    }

    /**
     * The statistics bucket: source and parameters ({@code add{digits=3.0}}); a problem with neither
     * is its own bucket ({@code #17}), so learnability keeps per-problem counts for such banks.
     */
    public String bucket() {
        if (source == null && params.isEmpty()) {
            return "#" + id;
        }
        return (source == null ? "" : source) + params;
    }
}
