package dev.curlab.select.baselines;

import dev.curlab.data.Window;
import dev.curlab.select.CandidateBatch;
import java.util.ArrayList;
import java.util.List;

/** Hand-built candidate batches for the selector tests. */
final class Batches {
    private Batches() {
    }

    /** A window with tokens derived from its id (length 5), a source and a difficulty. */
    static Window window(long id, String source, double difficulty) {
        return new Window(id, new int[] {(int) (id % 7), 1, 2, 3, 4}, source, difficulty);
    }

    /** Candidates with the given sources, difficulties, losses and entropies (no hidden states). */
    static CandidateBatch of(long step, String[] sources, double[] difficulties, float[] loss, float[] entropy) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < loss.length; i++) {
            windows.add(window(step * 100 + i, sources == null ? null : sources[i],
                    difficulties == null ? Double.NaN : difficulties[i]));
        }
        return new CandidateBatch(step, windows, loss, entropy == null ? new float[loss.length] : entropy, null);
    }

    /** Unlabelled candidates with the given tokens (ids step * 100 + i). */
    static CandidateBatch ofTokens(long step, int[]... tokens) {
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            windows.add(new Window(step * 100 + i, tokens[i], null, Double.NaN));
        }
        return new CandidateBatch(step, windows, new float[tokens.length], new float[tokens.length], null);
    }

    static CandidateBatch ofLosses(long step, float... loss) {
        return of(step, null, null, loss, null);
    }

    static CandidateBatch ofSources(long step, String... sources) {
        return of(step, sources, null, new float[sources.length], null);
    }
}
