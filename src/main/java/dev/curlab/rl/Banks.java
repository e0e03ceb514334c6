package dev.curlab.rl;

import dev.curlab.util.UserError;
import java.nio.file.Path;

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
}
