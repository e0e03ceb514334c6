package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.KvCache;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental decoding with a key/value cache. The first call runs the prompts once, left-padded to
 * the longest (prefill); each later call runs one new token per active row and attends to the cached
 * keys and values. Left padding keeps every row's next token in the same column; each row's position
 * ids count from its first real token (so {@code wpe} sees what it sees unpadded) and an additive
 * mask hides the padding (and, in the prefill, the future) from every real query: exp(-1e9) is 0 in
 * float, so a row's numbers do not depend on its neighbours' lengths. Finished rows are dropped from
 * the cache. The cache lives in a sub-manager of the caller's, each pass's temporaries in a
 * sub-manager closed at its end.
 */
final class CachedDecoder implements Decoder {
    private static final float MASKED = -1e9f;
    private final Gpt2Model model;
    private final NDManager parent;
    private final KvCache cache;
    private int[] rows;       // the sampler's row of each cache row (null before the prefill)
    private int[] pad;        // left padding of each cache row
    private long forwardTokens;

    CachedDecoder(Gpt2Model model, NDManager parent) {
        this.model = model;
        this.parent = parent;
        this.cache = model.newCache(parent);
    }

    @Override
    public float[][] next(List<Integer> active, int[][] seq, int[] length) {
        return rows == null ? prefill(active, seq, length) : step(active, seq, length);
    }

    /** The prompts (B, P), left-padded: logits at the last column. */
    private float[][] prefill(List<Integer> active, int[][] seq, int[] length) {
        int n = active.size();
        int p = 0;
        for (int i : active) {
            p = Math.max(p, length[i]);
        }
        rows = new int[n];
        pad = new int[n];
        long[] ids = new long[n * p];
        long[] pos = new long[n * p];
        float[] mask = new float[n * p * p];                                               // (n, 1, P, P)
        for (int a = 0; a < n; a++) {
            int i = active.get(a);
            rows[a] = i;
            pad[a] = p - length[i];
            for (int j = pad[a]; j < p; j++) {
                ids[a * p + j] = seq[i][j - pad[a]];
                pos[a * p + j] = j - pad[a];
            }
            for (int q = 0; q < p; q++) {
                for (int k = 0; k < p; k++) {
                    mask[(a * p + q) * p + k] = k <= q && k >= pad[a] ? 0f : MASKED;
                }
            }
        }
        forwardTokens += (long) n * p;
        return pass(ids, pos, mask, n, p);
    }

    /** One new token per active row (B, 1) after the cached Tk. */
    private float[][] step(List<Integer> active, int[][] seq, int[] length) {
        int n = active.size();
        if (n != rows.length) {
            keep(active);
        }
        int tk = (int) cache.length() + 1;
        long[] ids = new long[n];
        long[] pos = new long[n];
        float[] mask = new float[n * tk];                                                  // (n, 1, 1, Tk + 1)
        for (int a = 0; a < n; a++) {
            int i = rows[a];
            ids[a] = seq[i][length[i] - 1];
            pos[a] = length[i] - 1;
            Arrays.fill(mask, a * tk, a * tk + pad[a], MASKED);
        }
        forwardTokens += n;
        return pass(ids, pos, mask, n, 1);
    }

    /** Drops the cache rows whose sampler rows finished. */
    private void keep(List<Integer> active) {
        long[] keep = new long[active.size()];
        int[] newRows = new int[active.size()];
        int[] newPad = new int[active.size()];
        int r = 0;
        for (int a = 0; a < active.size(); a++) {
            while (rows[r] != active.get(a)) {
                r++;
            }
            keep[a] = r;
            newRows[a] = rows[r];
            newPad[a] = pad[r];
        }
        cache.keepRows(keep);
        rows = newRows;
        pad = newPad;
    }

    private float[][] pass(long[] ids, long[] pos, float[] mask, int n, int t) {
        int vocab = model.config().vocab();
        long tk = mask.length / ((long) n * t);
        float[][] out = new float[n][];
        try (NDManager sm = parent.newSubManager()) {
            Shape shape = new Shape(n, t);
            NDArray m = sm.create(mask, new Shape(n, 1, t, tk));
            NDArray h = model.hiddenCached(sm, sm.create(ids, shape), sm.create(pos, shape), m, cache); // (n, T, C)
            cache.commit();
            NDArray last = t == 1 ? h.reshape(n, -1) : h.get(new NDIndex(":, -1, :"));     // (n, C)
            float[] flat = model.logits(sm, last).toFloatArray();                           // (n, V)
            for (int a = 0; a < n; a++) {
                out[a] = Arrays.copyOfRange(flat, a * vocab, (a + 1) * vocab);
            }
        }
        return out;
    }

    @Override
    public long forwardTokens() {
        return forwardTokens;
    }

    @Override
    public void close() {
        cache.close();
    }
}
