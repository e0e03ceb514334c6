package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
