package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * From a {@code --tasks} spec to a problem bank: {@code builtin:arith[...]}, or a {@code .jsonl} or
 * {@code .parquet} file in curlab's or the field's formats ({@link FieldBanks}) split by
 * {@link UserBank}, with an optional held-out bank of its own ({@code --heldout-tasks}).
 */
public final class Banks {
    private Banks() {
    }

    /** The bank of {@code cfg} for stream seed {@code seed}. */
    public static ProblemBank open(RlConfig cfg, long seed) {
        return open(cfg.tasks(), seed, cfg.heldout(), BankOptions.of(cfg));
    }

    public static ProblemBank open(String spec, long seed, int heldout) {
        return open(spec, seed, heldout, BankOptions.DEFAULT);
    }

    public static ProblemBank open(String spec, long seed, int heldout, BankOptions o) {
        BankFile held = o.heldoutTasks() == null ? null : readHeldout(spec, o);
        if (spec.equals(FixedArithBank.NAME) || spec.startsWith(FixedArithBank.NAME + "?")) {
            return new FixedArithBank(spec, seed, heldout, held == null ? null : UserBank.distinct(held.problems()));
        }
        if (spec.startsWith("builtin:")) {
            if (!spec.equals(ArithBank.NAME) && !spec.startsWith(ArithBank.NAME + "?")) {
                throw new UserError("--tasks " + spec + ": unknown builtin bank (expected " + ArithBank.NAME + " or "
                        + FixedArithBank.NAME + ")");
            }
            return held == null ? new ArithBank(spec, seed, heldout) : new ArithBank(spec, seed, UserBank.distinct(held.problems()));
        }
        if (!spec.endsWith(".jsonl") && !spec.endsWith(".parquet")) {
            throw new UserError("--tasks " + spec + ": expected builtin:arith, a .jsonl file of {\"prompt\", \"answer\"} lines"
                    + " or a .parquet file with \"prompt\" and \"answer\" columns");
        }
        BankFile train = FieldBanks.read(Path.of(spec), o);
        return held == null ? new UserBank(train, seed, heldout) : new UserBank(train, held, seed);
    }

    private static BankFile readHeldout(String spec, BankOptions o) {
        String h = o.heldoutTasks();
        if (!h.endsWith(".jsonl") && !h.endsWith(".parquet")) {
            throw new UserError("--heldout-tasks " + h + ": expected a .jsonl or .parquet bank file");
        }
        if (!spec.startsWith("builtin:") && same(Path.of(spec), Path.of(h))) {
            throw new UserError("--heldout-tasks " + h + " is the --tasks file; give a separate held-out bank, or leave it out"
                    + " to hold out --heldout problems of --tasks");
        }
        try {
            return FieldBanks.read(Path.of(h), o);
        } catch (UserError e) {
            throw new UserError(e.getMessage().startsWith("--tasks ") ? "--heldout-tasks" + e.getMessage().substring(7) : e.getMessage());
        }
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) ? Files.isSameFile(a, b)
                    : a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A bank as a fixed table for {@code curlab serve}: problem {@code i} has id {@code i}. A file's
     * problems in file order (no held-out split: the trainer keeps its own), or the first {@code size}
     * problems of a builtin stream (the same ones, with the same ids, that {@code curlab rl} draws at
     * this seed). {@code params} answers {@link ProblemBank#taskParams} for curators that read it.
     */
    public record Table(List<Problem> problems, ProblemBank params, String describe) {
    }

    public static Table table(String spec, long seed, int size) {
        if (spec.equals(FixedArithBank.NAME) || spec.startsWith(FixedArithBank.NAME + "?")) {
            FixedArithBank bank = new FixedArithBank(spec, seed, 0);                // the whole fixed bank, ids as in curlab rl
            return new Table(bank.problems(), bank, spec + " (" + bank.problems().size() + " problems)");
        }
        if (spec.startsWith("builtin:")) {
            if (!spec.equals(ArithBank.NAME) && !spec.startsWith(ArithBank.NAME + "?")) {
                throw new UserError("--tasks " + spec + ": unknown builtin bank (expected " + ArithBank.NAME + " or "
                        + FixedArithBank.NAME + ")");
            }
            ArithBank bank = new ArithBank(spec, seed, 0);
            List<Problem> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                all.add(bank.next());
            }
            return new Table(List.copyOf(all), bank, spec + " (first " + size + " problems of seed " + seed + ")");
        }
        if (!spec.endsWith(".jsonl") && !spec.endsWith(".parquet")) {
            throw new UserError("--tasks " + spec + ": expected builtin:arith, a .jsonl file of {\"prompt\", \"answer\"} lines"
                    + " or a .parquet file with \"prompt\" and \"answer\" columns");
        }
        BankFile file = FieldBanks.read(Path.of(spec), BankOptions.DEFAULT);
        List<Problem> all = file.problems();
        List<Problem> indexed = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Problem p = all.get(i);
            indexed.add(p.id() == i ? p : new Problem(i, p.source(), p.prompt(), p.answer(), p.params()));
        }
        ProblemBank params = new UserBank(new BankFile(file.file(), indexed, file.rows(), file.unit()), seed, 0);
        return new Table(List.copyOf(indexed), params, spec + " (" + indexed.size() + " problems)");
    }
}
