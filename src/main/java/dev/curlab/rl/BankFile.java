package dev.curlab.rl;

import java.nio.file.Path;
import java.util.List;

/**
 * The problems read from one bank file, in file order (ids counting from 0), with where each came
 * from: {@code rows[i]} is problem i's line (a {@code .jsonl}) or row (a {@code .parquet}), from 1.
 */
record BankFile(Path file, List<Problem> problems, int[] rows, String unit) {

    /** "file F line N" (or "row N") of problem {@code id}. */
    String where(long id) {
        return "file " + file + " " + unit + " " + rows[(int) id];
    }
}
