package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The keys and values of every layer for incremental decoding, (B, H, Tk, D) each, owned by one
 * sub-manager of the caller's (closed with the cache). A forward pass extends them in its step's
 * manager ({@link Gpt2Model#hiddenCached}); {@link #commit} then moves the extended arrays in and
 * frees the old ones, so the cache holds one copy whatever the number of steps.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;       // committed, per layer (null before the prefill)
    private final NDArray[] values;
    private final NDArray[] nextKeys;   // this pass's, in its step manager until commit
    private final NDArray[] nextValues;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.nextKeys = new NDArray[layers];
        this.nextValues = new NDArray[layers];
    }

    /** Cached positions Tk (0 before the prefill). */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    /** The past keys and values of {@code layer} followed by this pass's {@code k}, {@code v} (B, H, T, D), in {@code step}. */
    NDArray[] extend(NDManager step, int layer, NDArray k, NDArray v) {
        NDArray kAll = keys[layer] == null ? k : keys[layer].concat(k, 2);    // (B, H, Tk + T, D)
        NDArray vAll = values[layer] == null ? v : values[layer].concat(v, 2);
        kAll.attach(step);                                                    // an op on a cached array lands in the cache's manager
        vAll.attach(step);
        nextKeys[layer] = kAll;
        nextValues[layer] = vAll;
        return new NDArray[] {kAll, vAll};
    }

    /** Keeps the extended keys and values of the last pass (call before its step manager closes). */
    public void commit() {
        for (int i = 0; i < keys.length; i++) {
            NDArray oldK = keys[i];
            NDArray oldV = values[i];
            keys[i] = nextKeys[i];
            values[i] = nextValues[i];
            keys[i].attach(manager);
            values[i].attach(manager);
            nextKeys[i] = null;
            nextValues[i] = null;
            if (oldK != null) {
                oldK.close();
                oldV.close();
            }
        }
    }

    /** The batch rows {@code rows} in that order (a gather: rows finish, or repeat to share a prefill). */
    public void gatherRows(long[] rows) {
        try (NDManager sm = manager.newSubManager()) {
            NDIndex index = new NDIndex("{}", sm.create(rows));
            for (int i = 0; i < keys.length; i++) {
                NDArray k = keys[i].get(index);                                  // lands in the cache's manager
                NDArray v = values[i].get(index);
                k.attach(manager);
                v.attach(manager);
                keys[i].close();
                values[i].close();
                keys[i] = k;
                values[i] = v;
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
