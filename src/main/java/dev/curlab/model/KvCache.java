package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The keys and values of every layer for incremental decoding, owned by one sub-manager of the
 * caller's (closed with the cache): (B, H, capacity, D) per layer, allocated by the prefill, of which
 * the first Tk positions are written. A forward pass writes its positions in place and attends to a
 * view of the written ones ({@link Gpt2Model#hiddenCached}); {@link #commit} then counts them. Writing
 * in place copies nothing of the past (a concat per step would copy the whole cache every token).
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;       // (B, H, capacity, D) per layer (null before the prefill)
    private final NDArray[] values;
    private final long capacity;        // positions allocated per row
    private long length;                // positions written and committed
    private long pending;               // positions written by the pass in flight

    public KvCache(NDManager parent, int layers, long capacity) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.capacity = capacity;
    }

    /** Cached positions Tk (0 before the prefill). */
    public long length() {
        return length;
    }

    /** The past keys and values of {@code layer} followed by this pass's {@code k}, {@code v} (B, H, T, D), in {@code step}. */
    NDArray[] extend(NDManager step, int layer, NDArray k, NDArray v) {
        long tk = length();
        long t = k.getShape().get(2);
        if (tk + t > capacity) {
            throw new IllegalStateException("KV cache of " + capacity + " positions asked for " + (tk + t));
        }
        if (keys[layer] == null) {                                            // the prefill allocates the whole capacity
            Shape s = k.getShape();
            keys[layer] = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)));
            values[layer] = manager.zeros(new Shape(s.get(0), s.get(1), capacity, s.get(3)));
        }
        NDIndex slot = new NDIndex(":, :, {}:{}", tk, tk + t);
        keys[layer].set(slot, k);                                             // written in place: no copy of the past
        values[layer].set(slot, v);
        NDIndex past = new NDIndex(":, :, 0:{}", tk + t);
        NDArray kAll = keys[layer].get(past);                                 // (B, H, Tk + T, D)
        NDArray vAll = values[layer].get(past);
        kAll.attach(step);                                                    // an op on a cached array lands in the cache's manager
        vAll.attach(step);
        if (layer == keys.length - 1) {
            pending = tk + t;
        }
        return new NDArray[] {kAll, vAll};
    }

    /** Counts the positions the last pass wrote (call once per pass, after it). */
    public void commit() {
        length = pending;
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
