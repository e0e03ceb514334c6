package dev.curlab.data;

import java.util.Arrays;

/**
 * One context window of a stream: {@code context + 1} token ids (inputs are {@code tokens[0..T-1]},
 * next-token targets {@code tokens[1..T]}), with optional tags.
 *
 * @param id         position of the window in its stream (unique within one role and epoch)
 * @param tokens     token ids, length context + 1
 * @param source     source tag, or {@code null} when the data has none
 * @param difficulty difficulty tag, or {@link Double#NaN} when the data has none
 */
public record Window(long id, int[] tokens, String source, double difficulty) {

    public Window {
        if (tokens == null || tokens.length < 2) {
            throw new IllegalArgumentException("a window needs at least 2 tokens");
        }
    }

    public boolean hasSource() {
        return source != null;
    }

    public boolean hasDifficulty() {
        return !Double.isNaN(difficulty);
    }

    /** The token arrays of {@code windows}, in order. */
    public static java.util.List<int[]> tokensOf(java.util.List<Window> windows) {
        java.util.List<int[]> out = new java.util.ArrayList<>(windows.size());
        for (Window w : windows) {
            out.add(w.tokens());
        }
        return out;
    }

    /** Number of next-token predictions in this window (the context length T). */
    public int predictions() {
        return tokens.length - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && w.id == id && Arrays.equals(w.tokens, tokens)
                && java.util.Objects.equals(w.source, source)
                && Double.compare(w.difficulty, difficulty) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(id) + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "Window[id=" + id + ", T=" + predictions() + ", source=" + source + ", difficulty=" + difficulty + "]";
    }
}
