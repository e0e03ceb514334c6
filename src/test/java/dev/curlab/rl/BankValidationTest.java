package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.data.ByteTokenizer;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 25's bank checks: each malformed row is one line naming file, row and field. */
class BankValidationTest {
    @TempDir
    Path tmp;

    private static String error(Runnable r) {
        return assertThrows(UserError.class, r::run).getMessage();
    }

    private Path jsonl(String name, String body) throws Exception {
        return Files.writeString(tmp.resolve(name), body);
    }

    @Test
    void anEmptyAnswerOrPromptIsRefusedNamingFileLineAndField() throws Exception {
        Path f = jsonl("a.jsonl", "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"  \"}\n");
        assertEquals("file " + f + " line 2: field \"answer\" is empty", error(() -> Banks.open(f.toString(), 0, 1)));
        Files.writeString(f, "{\"prompt\": \"\", \"answer\": \"2\"}\n");
        assertEquals("file " + f + " line 1: field \"prompt\" is empty", error(() -> Banks.open(f.toString(), 0, 1)));
        Path pq = ParquetBankTest.parquet(tmp.resolve("a.parquet"), "SELECT * FROM (VALUES ('1+1=', '2'), ('2+2=', '')) t(prompt, answer)");
        assertEquals("file " + pq + " row 2: field \"answer\" is empty", error(() -> Banks.open(pq.toString(), 0, 1)));
    }

    @Test
    void nonFiniteParamsAreRefusedNamingRowAndKey() throws Exception {
        Path f = jsonl("p.jsonl", "{\"prompt\": \"1+1=\", \"answer\": \"2\", \"params\": {\"d\": 1e400}}\n");
        assertEquals("file " + f + " line 1: params.d must be a finite number, got Infinity", error(() -> Banks.open(f.toString(), 0, 0)));
        Path pq = ParquetBankTest.parquet(tmp.resolve("p.parquet"), "SELECT * FROM (VALUES ('1+1=', '2', {'w': 1.0::DOUBLE}),"
                + " ('2+2=', '4', {'w': 'nan'::DOUBLE})) t(prompt, answer, params)");
        assertEquals("file " + pq + " row 2: params.w must be a finite number, got NaN", error(() -> Banks.open(pq.toString(), 0, 0)));
    }

    @Test
    void theHeldOutBankMayNotBeTheTrainingBank() throws Exception {
        Path f = jsonl("t.jsonl", "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n");
        String same = "--heldout-tasks " + f + " is the --tasks file; give a separate held-out bank, or leave it out to hold out"
                + " --heldout problems of --tasks";
        assertEquals(same, error(() -> Banks.open(f.toString(), 0, 1, new BankOptions(f.toString(), BankFormat.of("auto"), null, null))));
        String dotted = tmp.resolve(".").resolve("t.jsonl").toString();  // another spelling of the same file
        assertEquals("--heldout-tasks " + dotted + " is the --tasks file; give a separate held-out bank, or leave it out to hold out"
                + " --heldout problems of --tasks", error(() -> Banks.open(f.toString(), 0, 1, new BankOptions(dotted, BankFormat.of("auto"), null, null))));
        assertEquals(same, error(() -> RlConfig.builder().tasks(f.toString()).heldoutTasks(f.toString()).build()));
    }

    @Test
    void aSeparateHeldOutBankIsTheHeldOutSetAndItsPromptsLeaveTraining() throws Exception {
        Path train = jsonl("train.jsonl", "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n"
                + "{\"prompt\": \"3+3=\", \"answer\": \"6\"}\n");
        Path held = jsonl("held.jsonl", "{\"prompt\": \" 2+2= \", \"answer\": \"4\"}\n{\"prompt\": \"9+9=\", \"answer\": \"18\"}\n");
        ProblemBank bank = Banks.open(train.toString(), 0, 200, new BankOptions(held.toString(), BankFormat.of("auto"), null, null));
        assertEquals(java.util.List.of(" 2+2= ", "9+9="), bank.heldout().stream().map(Problem::prompt).toList());
        java.util.Set<String> seen = new java.util.TreeSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(bank.next().prompt());
        }
        assertEquals(java.util.Set.of("1+1=", "3+3="), seen);
        assertTrue(bank.describe().contains("1 dropped as held-out problems"), bank.describe());
        ProblemBank builtin = Banks.open("builtin:arith?families=add:1", 0, 200, new BankOptions(held.toString(), BankFormat.of("auto"), null, null));
        assertEquals(2, builtin.heldout().size());
        for (int i = 0; i < 500; i++) {
            assertTrue(!builtin.next().prompt().equals("2+2="), "a held-out prompt was drawn for training");
        }
        Path missing = tmp.resolve("none.jsonl");
        assertEquals("--heldout-tasks " + missing + ": no such file",
                error(() -> Banks.open(train.toString(), 0, 1, new BankOptions(missing.toString(), BankFormat.of("auto"), null, null))));
    }

    @Test
    void aPromptWithNoRoomForAnAnswerIsRefusedNamingFileLineAndTokens() throws Exception {
        // the byte tokenizer: one token per byte; context 8 leaves room only for prompts of at most 6 tokens
        Path f = jsonl("long.jsonl", "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n\n{\"prompt\": \"12+34=\", \"answer\": \"46\"}\n"
                + "{\"prompt\": \"123+45=\", \"answer\": \"168\"}\n{\"prompt\": \"1+2=\", \"answer\": \"3\"}\n");
        ProblemBank bank = Banks.open(f.toString(), 0, 1);
        assertEquals("file " + f + " line 4: prompt is 7 tokens; the policy's context of 8 leaves no room for an answer"
                + " (prompts must be under 7 tokens)", error(() -> bank.checkFits(new ByteTokenizer(), 8)));
        bank.checkFits(new ByteTokenizer(), 9);                    // 7 tokens + the start token leave one for the answer
        ArithBank arith = new ArithBank("builtin:arith?families=add:1-6", 0, 5);
        String e = error(() -> arith.checkFits(new ByteTokenizer(), 14));
        assertTrue(e.startsWith("--tasks builtin:arith?families=add:1-6 (add at digits 6): prompt is 14 tokens;"), e);
        arith.checkFits(new ByteTokenizer(), 16);
    }
}
