package dev.curlab.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads (tokenises and cuts) the windows of another stream on a background thread into a bounded
 * queue, so the compute threads never wait for data. The order is exactly the inner stream's, and
 * {@link #position()} counts windows handed out, not read ahead, so checkpoints and resumes are
 * unaffected. A data error is raised by {@link #next()} at the window where it occurred.
 */
public final class PrefetchingDataSource implements DataSource {
    private final DataSource inner;
    private final int capacity;
    private BlockingQueue<Item> queue;
    private Thread worker;
    private volatile boolean closed;
    private long consumed;
    private int epoch;

    private record Item(Window window, int epoch, RuntimeException error) {
    }

    public PrefetchingDataSource(DataSource inner, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.inner = inner;
        this.capacity = capacity;
        this.consumed = inner.position();
        this.epoch = inner.epoch();
    }

    private void start() {
        queue = new ArrayBlockingQueue<>(capacity);
        worker = new Thread(() -> {
            while (!closed) {
                Item item;
                try {
                    Window w = inner.next();
                    item = new Item(w, inner.epoch(), null);
                } catch (RuntimeException e) {
                    item = new Item(null, 0, e);
                }
                try {
                    queue.put(item);
                } catch (InterruptedException e) {
                    return;
                }
                if (item.error() != null) {
                    return;
                }
            }
        }, "curlab-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public Window next() {
        if (worker == null) {
            start();
        }
        Item item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for data", e);
        }
        if (item.error() != null) {
            throw item.error();
        }
        consumed++;
        epoch = item.epoch();
        return item.window();
    }

    @Override
    public long position() {
        return consumed;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    /** Skips on the inner stream before any read-ahead starts (a fresh stream only). */
    @Override
    public void skipTo(long position) {
        if (worker != null) {
            throw new IllegalStateException("skipTo must be called before the first next()");
        }
        inner.skipTo(position);
        consumed = inner.position();
        epoch = inner.epoch();
    }

    @Override
    public String describe() {
        return inner.describe() + " (prefetched, queue of " + capacity + ")";
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inner.close();
    }
}
