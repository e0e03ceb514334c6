package dev.curlab.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.KvCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental decoding with a key/value cache. The first call runs the prompts once, left-padded to
 * the longest (prefill); each later call runs one new token per active row and attends to the cached
 * keys and values. Left padding keeps every row's next token in the same column; each row's position
 * ids count from its first real token (so {@code wpe} sees what it sees unpadded) and an additive
 * mask hides the padding (and, in the prefill, the future) from every real query: exp(-1e9) is 0 in
 * float, so a row's numbers do not depend on its neighbours' lengths. Rows with the same prompt (a
 * GRPO group) share one prefill, whose cache rows are then repeated (prefix sharing, as vLLM's prefix
 * cache). Finished rows leave the cache once a quarter of its rows have finished. The cache lives in
 * a sub-manager of the caller's, each pass's temporaries in a sub-manager closed at its end.
 */
final class CachedDecoder implements Decoder {
    private static final float MASKED = -1e9f;
    private final Gpt2Model model;
    private final NDManager parent;
    private final KvCache cache;
    private int[] rows;       // the sampler's row of each cache row (null before the prefill)
    private int[] pad;        // left padding of each cache row
    private long forwardTokens;

    /** {@code capacity}: the most positions a row will hold (its padded prompt and the tokens fed after it). */
    CachedDecoder(Gpt2Model model, NDManager parent, int capacity) {
        this.model = model;
        this.parent = parent;
        this.cache = model.newCache(parent, capacity);
    }

    @Override
    public float[][] next(List<Integer> active, int[][] seq, int[] length) {
        return rows == null ? prefill(active, seq, length) : step(active, seq, length);
    }

    /** The distinct prompts (U, P), left-padded, then their cache rows repeated for every row: logits at the last column. */
    private float[][] prefill(List<Integer> active, int[][] seq, int[] length) {
        int n = active.size();
        Map<List<Integer>, Integer> distinct = new HashMap<>();
        List<Integer> first = new ArrayList<>();                                           // a sampler row of each distinct prompt
        long[] of = new long[n];                                                           // the distinct prompt of each active row
        int p = 0;
        for (int a = 0; a < n; a++) {
            int i = active.get(a);
            List<Integer> key = Arrays.stream(seq[i], 0, length[i]).boxed().toList();
            Integer u = distinct.get(key);
            if (u == null) {
                u = first.size();
                distinct.put(key, u);
                first.add(i);
                p = Math.max(p, length[i]);
            }
            of[a] = u;
        }
        int nu = first.size();
        int[] padU = new int[nu];
        long[] ids = new long[nu * p];
        long[] pos = new long[nu * p];
        float[] mask = new float[nu * p * p];                                              // (U, 1, P, P)
        for (int u = 0; u < nu; u++) {
            int i = first.get(u);
            padU[u] = p - length[i];
            for (int j = padU[u]; j < p; j++) {
                ids[u * p + j] = seq[i][j - padU[u]];
                pos[u * p + j] = j - padU[u];
            }
            for (int q = 0; q < p; q++) {
                for (int k = 0; k < p; k++) {
                    mask[(u * p + q) * p + k] = k <= q && k >= padU[u] ? 0f : MASKED;
                }
            }
        }
        forwardTokens += (long) nu * p;
        float[][] logits = pass(ids, pos, mask, nu, p);
        rows = new int[n];
        pad = new int[n];
        float[][] out = new float[n][];
        for (int a = 0; a < n; a++) {
            rows[a] = active.get(a);
            pad[a] = padU[(int) of[a]];
            out[a] = logits[(int) of[a]].clone();
        }
        if (nu < n) {
            cache.gatherRows(of);                                                            // (U, ...) -> (n, ...)
        }
        return out;
    }

    /**
     * One new token per cache row (B, 1) after the cached Tk. Finished rows stay in the cache (their
     * logits unused) until a quarter of the rows have finished: fewer gathers for small models,
     * fewer wasted rows for large ones.
     */
    private float[][] step(List<Integer> active, int[][] seq, int[] length) {
        int n = active.size();
        if (n <= rows.length * 3 / 4) {
            keep(active);
        }
        int m = rows.length;
        int tk = (int) cache.length() + 1;
        long[] ids = new long[m];
        long[] pos = new long[m];
        float[] mask = new float[m * tk];                                                  // (m, 1, 1, Tk + 1)
        for (int r = 0; r < m; r++) {
            int i = rows[r];
            ids[r] = seq[i][length[i] - 1];
            pos[r] = length[i] - 1;
            Arrays.fill(mask, r * tk, r * tk + pad[r], MASKED);
        }
        forwardTokens += m;
        float[][] logits = pass(ids, pos, mask, m, 1);
        float[][] out = new float[n][];
        int r = 0;
        for (int a = 0; a < n; a++) {
            while (rows[r] != active.get(a)) {
                r++;
            }
            out[a] = logits[r];
        }
        return out;
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
        cache.gatherRows(keep);
        rows = newRows;
        pad = newPad;
    }

    private float[][] pass(long[] ids, long[] pos, float[] mask, int n, int t) {
        long tk = mask.length / ((long) n * t);
        try (NDManager sm = parent.newSubManager()) {
            Shape shape = new Shape(n, t);
            NDArray m = sm.create(mask, new Shape(n, 1, t, tk));
            NDArray h = model.hiddenCached(sm, sm.create(ids, shape), sm.create(pos, shape), m, cache); // (n, T, C)
            cache.commit();
            NDArray last = t == 1 ? h.reshape(n, -1) : h.get(new NDIndex(":, -1, :"));     // (n, C)
            return Decoder.rowLogits(sm, model, last);
        }
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
