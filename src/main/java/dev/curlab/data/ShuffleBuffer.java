package dev.curlab.data;

import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A seeded shuffle buffer over the windows of another stream, as streaming loaders offer
 * ({@code tf.data.Dataset.shuffle}, {@code IterableDataset.shuffle(buffer_size)}): it holds up to
 * {@code size} windows and hands out one drawn uniformly at random, refilling its slot with the
 * inner stream's next window. Windows farther apart than the buffer's size are mixed only partly,
 * so the buffer should be larger than a document (or a run of one source) in windows.
 *
 * <p><b>Epochs.</b> The buffer never mixes two epochs: when the inner stream starts its next epoch,
 * the buffer first drains the windows it holds, so every window of an epoch is handed out exactly
 * once in that epoch (a permutation of the inner epoch), and {@link #epoch()} turns when the first
 * window of the next one is handed out. Window ids are the inner stream's.
 *
 * <p><b>Resume.</b> The order is a function of the seed, the size and the inner stream alone, so
 * {@link #position()} is the whole stream state: {@link #skipTo(long)} replays a fresh stream from
 * its start to the same buffer contents and generator state.
 */
public final class ShuffleBuffer implements DataSource {
    private final DataSource inner;
    private final int size;
    private final Rng rng;
    private final List<Window> held;
    private Window nextEpochFirst;   // first window of the inner stream's next epoch, read while draining
    private int fillEpoch;           // the epoch of the windows in the buffer
    private int epoch;
    private long position;
    private boolean started;

    /** Shuffles {@code inner} (a freshly opened stream) with a buffer of {@code size >= 1} windows. */
    public ShuffleBuffer(DataSource inner, int size, Rng rng) {
        if (size < 1) {
            throw new IllegalArgumentException("shuffle buffer size must be >= 1, got " + size);
        }
        this.inner = inner;
        this.size = size;
        this.rng = rng;
        this.held = new ArrayList<>(Math.min(size, 1 << 16));
        this.fillEpoch = inner.epoch();
        this.epoch = inner.epoch();
    }

    @Override
    public Window next() {
        if (!started || held.isEmpty()) {
            if (started) {                           // drained: the next epoch begins
                held.add(nextEpochFirst);
                nextEpochFirst = null;
                fillEpoch = inner.epoch();
            }
            started = true;
            for (Window w; held.size() < size && (w = read()) != null; ) {
                held.add(w);
            }
        }
        int i = rng.nextInt(held.size());
        Window out = held.get(i);
        Window refill = read();
        if (refill != null) {
            held.set(i, refill);
        } else {                                     // the epoch's end: the last window fills the gap
            Window last = held.remove(held.size() - 1);
            if (i < held.size()) {
                held.set(i, last);
            }
        }
        epoch = fillEpoch;
        position++;
        return out;
    }

    /** The inner stream's next window of the buffer's epoch, or null once that epoch has ended. */
    private Window read() {
        if (nextEpochFirst != null) {
            return null;
        }
        Window w = inner.next();
        if (inner.epoch() != fillEpoch) {
            nextEpochFirst = w;
            return null;
        }
        return w;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public String describe() {
        return inner.describe() + ", shuffle buffer of " + size + " windows";
    }

    @Override
    public void close() {
        inner.close();
    }
}
