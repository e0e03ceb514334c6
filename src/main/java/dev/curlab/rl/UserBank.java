package dev.curlab.rl;

import dev.curlab.data.DataException;
import dev.curlab.data.Tokenizer;
import dev.curlab.util.Rng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user's finite bank, whatever file it came from ({@link JsonlBank}, {@link ParquetBank},
 * {@link FieldBanks}). Problems with one content key ({@link Problem#key}: the prompt trimmed,
 * whitespace runs as one space, case kept) are one problem: the first in file order is kept, the
 * others dropped and counted, so no problem is both trained on and held out. Then either a seeded
 * permutation (fixed, seed 0) holds out {@code heldoutSize} problems, or a held-out bank of its own
 * ({@code --heldout-tasks}) is the held-out set and every training problem with one of its keys is
 * dropped (counted). The rest are streamed in a fresh seeded order each pass. The same problems in
 * the same order give the same split and stream, so a {@code .jsonl} and a {@code .parquet} copy of
 * one bank train alike.
 */
final class UserBank implements ProblemBank {
    private final Path file;
    private final BankFile trainFile;     // where each problem came from (ids are file order)
    private final BankFile heldoutFile;
    private final long seed;
    private final List<Problem> pool;
    private final List<Problem> heldout;
    private final String dropped;       // what was dropped, for describe()
    private final EpochShuffle stream;

    /** Splits {@code all} (in file order) into {@code heldoutSize} held-out problems and a training pool of the rest. */
    UserBank(BankFile bank, long seed, int heldoutSize) {
        this.trainFile = bank;
        this.heldoutFile = bank;
        this.file = bank.file();
        List<Problem> all = bank.problems();
        this.seed = seed;
        List<Problem> unique = distinct(all);
        if (unique.size() <= heldoutSize) {
            throw new DataException("--tasks " + file + " has " + unique.size() + " distinct problems; it needs more than --heldout ("
                    + heldoutSize + ") so that some are left for training");
        }
        // the Rng purposes keep the names they had when .jsonl was the only user bank, so old runs resume alike
        int[] split = Rng.derive(0, "rl/jsonl/split").sampleWithoutReplacement(unique.size(), unique.size());
        List<Problem> held = new ArrayList<>();
        List<Problem> rest = new ArrayList<>();
        for (int i = 0; i < split.length; i++) {
            (i < heldoutSize ? held : rest).add(unique.get(split[i]));
        }
        this.heldout = List.copyOf(held);
        this.pool = List.copyOf(rest);
        this.dropped = duplicates(all.size() - unique.size());
        this.stream = new EpochShuffle(pool, Rng.derive(seed, "rl/jsonl/order"));
    }

    /** Trains on {@code all} less any problem whose prompt is in {@code heldout}, the held-out bank read from {@code heldoutFile}. */
    UserBank(BankFile bank, BankFile heldoutBank, long seed) {
        this.trainFile = bank;
        this.heldoutFile = heldoutBank;
        this.file = bank.file();
        List<Problem> all = bank.problems();
        List<Problem> heldout = heldoutBank.problems();
        Path heldoutPath = heldoutBank.file();
        this.seed = seed;
        List<Problem> unique = distinct(all);
        List<Problem> held = distinct(heldout);
        Set<String> heldKeys = ArithBank.keys(held);
        List<Problem> rest = new ArrayList<>();
        for (Problem p : unique) {
            if (!heldKeys.contains(p.key())) {
                rest.add(p);
            }
        }
        if (rest.isEmpty()) {
            throw new DataException("--tasks " + file + ": every problem is also in --heldout-tasks " + heldoutPath
                    + "; nothing is left for training");
        }
        this.heldout = List.copyOf(held);
        this.pool = List.copyOf(rest);
        this.dropped = duplicates(all.size() - unique.size())
                + (unique.size() > rest.size() ? ", " + (unique.size() - rest.size()) + " dropped as held-out problems" : "")
                + (heldout.size() > held.size() ? ", " + (heldout.size() - held.size()) + " duplicate held-out prompts dropped" : "")
                + "; held out: " + heldoutPath;
        this.stream = new EpochShuffle(pool, Rng.derive(seed, "rl/jsonl/order"));
    }

    /** The first problem of each content key, in file order. */
    static List<Problem> distinct(List<Problem> all) {
        Set<String> seen = new HashSet<>();
        List<Problem> out = new ArrayList<>(all.size());
        for (Problem p : all) {
            if (seen.add(p.key())) {
                out.add(p);
            }
        }
        return out;
    }

    private static String duplicates(int n) {
        return n == 0 ? "" : ", " + n + " duplicate prompts dropped";
    }

    @Override
    public void checkFits(Tokenizer tokenizer, int context) {
        for (List<Problem> set : List.of(pool, heldout)) {
            BankFile from = set == pool ? trainFile : heldoutFile;
            String refusal = ProblemBank.firstTooLong(set, p -> from.where(p.id()), tokenizer, context);
            if (refusal != null) {
                throw new DataException(refusal);
            }
        }
    }

    @Override
    public Problem next() {
        return stream.next();
    }

    @Override
    public long position() {
        return stream.position();
    }

    @Override
    public List<Problem> heldout() {
        return heldout;
    }

    @Override
    public String describe() {
        return file + " (" + pool.size() + " training and " + heldout.size() + " held-out problems, seed " + seed + dropped + ")";
    }
}
