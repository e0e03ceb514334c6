package dev.curlab.rl;

import dev.curlab.data.DataException;
import dev.curlab.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's finite bank, whatever file it came from ({@link JsonlBank}, {@link ParquetBank}): a seeded
 * permutation (fixed, seed 0) holds out {@code heldoutSize} problems; the rest are streamed in a fresh
 * seeded order each pass. The same problems in the same order give the same split and stream, so a
 * {@code .jsonl} and a {@code .parquet} copy of one bank train alike.
 */
final class UserBank implements ProblemBank {
    private final Path file;
    private final long seed;
    private final List<Problem> pool;
    private final List<Problem> heldout;
    private final Rng order;
    private int[] perm;
    private long position;

    /** Splits {@code all} (in file order) into {@code heldoutSize} held-out problems and a training pool of the rest. */
    UserBank(Path file, List<Problem> all, long seed, int heldoutSize) {
        this.file = file;
        this.seed = seed;
        if (all.size() <= heldoutSize) {
            throw new DataException("--tasks " + file + " has " + all.size() + " problems; it needs more than --heldout ("
                    + heldoutSize + ") so that some are left for training");
        }
        // the Rng purposes keep the names they had when .jsonl was the only user bank, so old runs resume alike
        int[] split = Rng.derive(0, "rl/jsonl/split").sampleWithoutReplacement(all.size(), all.size());
        List<Problem> held = new ArrayList<>();
        List<Problem> rest = new ArrayList<>();
        for (int i = 0; i < split.length; i++) {
            (i < heldoutSize ? held : rest).add(all.get(split[i]));
        }
        this.heldout = List.copyOf(held);
        this.pool = List.copyOf(rest);
        this.order = Rng.derive(seed, "rl/jsonl/order");
    }

    @Override
    public Problem next() {
        int i = (int) (position % pool.size());
        if (i == 0) {
            perm = order.sampleWithoutReplacement(pool.size(), pool.size());
        }
        position++;
        return pool.get(perm[i]);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public List<Problem> heldout() {
        return heldout;
    }

    @Override
    public String describe() {
        return file + " (" + pool.size() + " training and " + heldout.size() + " held-out problems, seed " + seed + ")";
    }
}
