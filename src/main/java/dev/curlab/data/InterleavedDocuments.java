package dev.curlab.data;

import dev.curlab.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The documents of several data files interleaved at random, as streaming loaders mix shards
 * ({@code tf.data} {@code interleave}, {@code datasets.interleave_datasets} with probabilities):
 * each document comes from one of the open files, drawn with probability proportional to its size
 * in bytes on disk, so files of one source are spread over the whole pass instead of following one
 * another. At most {@link #OPEN_FILES} files are open at a time; they are taken in a seeded random
 * order, and an exhausted file is replaced by the next. Every document of every file is read
 * exactly once, in its file's order.
 */
final class InterleavedDocuments implements DocumentReader {
    /** Files read from at once (each holds a reader; a Parquet reader holds a database connection). */
    static final int OPEN_FILES = 32;

    private final Rng rng;
    private final Deque<Path> waiting;
    private final List<Open> open = new ArrayList<>();
    private double totalWeight;

    private record Open(Path file, double weight, DocumentReader reader) {
    }

    /** Interleaves {@code files} with the draws of {@code rng}. */
    InterleavedDocuments(List<Path> files, Rng rng) {
        this.rng = rng;
        List<Path> order = new ArrayList<>(files);
        for (int i = order.size() - 1; i > 0; i--) {            // Fisher-Yates: the order files are opened in
            int j = rng.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        this.waiting = new ArrayDeque<>(order);
    }

    @Override
    public Document next() {
        while (true) {
            while (open.size() < OPEN_FILES && !waiting.isEmpty()) {
                Path f = waiting.pollFirst();
                Open o = new Open(f, weight(f), DataFiles.open(f));
                open.add(o);
                totalWeight += o.weight();
            }
            if (open.isEmpty()) {
                return null;
            }
            int i = draw();
            Open o = open.get(i);
            Document doc = o.reader().next();
            if (doc != null) {
                return doc;
            }
            o.reader().close();
            open.remove(i);
            totalWeight -= o.weight();
        }
    }

    /** Index of an open file drawn with probability proportional to its weight. */
    private int draw() {
        double u = rng.nextDouble() * totalWeight;
        for (int i = 0; i < open.size() - 1; i++) {
            u -= open.get(i).weight();
            if (u < 0) {
                return i;
            }
        }
        return open.size() - 1;
    }

    /** The file's size in bytes (at least 1, so an empty file is still drawn once and closed). */
    private static double weight(Path file) {
        try {
            return Math.max(1, Files.size(file));
        } catch (IOException e) {
            throw new DataException("cannot read data file " + file + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        for (Open o : open) {
            o.reader().close();
        }
        open.clear();
    }
}
