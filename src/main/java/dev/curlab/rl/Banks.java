package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * From a {@code --tasks} spec to a problem bank: {@code builtin:arith[...]}, or a {@code .jsonl}
 * ({@link JsonlBank}) or {@code .parquet} ({@link ParquetBank}) file split by {@link UserBank}.
 */
public final class Banks {
    private Banks() {
    }

    public static ProblemBank open(String spec, long seed, int heldout) {
        if (spec.startsWith("builtin:")) {
            if (!spec.startsWith(ArithBank.NAME)) {
                throw new UserError("--tasks " + spec + ": unknown builtin bank (expected " + ArithBank.NAME + ")");
            }
            return new ArithBank(spec, seed, heldout);
        }
        if (spec.endsWith(".jsonl")) {
            return new UserBank(Path.of(spec), JsonlBank.read(Path.of(spec)), seed, heldout);
        }
        if (spec.endsWith(".parquet")) {
            return new UserBank(Path.of(spec), ParquetBank.read(Path.of(spec)), seed, heldout);
        }
        throw new UserError("--tasks " + spec + ": expected builtin:arith, a .jsonl file of {\"prompt\", \"answer\"} lines"
                + " or a .parquet file with \"prompt\" and \"answer\" columns");
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
        if (spec.startsWith("builtin:")) {
            if (!spec.startsWith(ArithBank.NAME)) {
                throw new UserError("--tasks " + spec + ": unknown builtin bank (expected " + ArithBank.NAME + ")");
            }
            ArithBank bank = new ArithBank(spec, seed, 0);
            List<Problem> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                all.add(bank.next());
            }
            return new Table(List.copyOf(all), bank, spec + " (first " + size + " problems of seed " + seed + ")");
        }
        List<Problem> all;
        if (spec.endsWith(".jsonl")) {
            all = JsonlBank.read(Path.of(spec));
        } else if (spec.endsWith(".parquet")) {
            all = ParquetBank.read(Path.of(spec));
        } else {
            throw new UserError("--tasks " + spec + ": expected builtin:arith, a .jsonl file of {\"prompt\", \"answer\"} lines"
                    + " or a .parquet file with \"prompt\" and \"answer\" columns");
        }
        List<Problem> indexed = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Problem p = all.get(i);
            indexed.add(p.id() == i ? p : new Problem(i, p.source(), p.prompt(), p.answer(), p.params()));
        }
        ProblemBank params = new UserBank(Path.of(spec), indexed, seed, 0);
        return new Table(List.copyOf(indexed), params, spec + " (" + indexed.size() + " problems)");
    }
}
