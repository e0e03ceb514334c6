package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.cli.Main;
import dev.curlab.util.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet banks written by DuckDB itself: the same problems, split and stream as their .jsonl copy, and one-line errors. */
class ParquetBankTest {
    @TempDir
    Path tmp;

    /** Runs {@code COPY (select) TO 'file' (FORMAT PARQUET)} and returns the file. */
    static Path parquet(Path file, String select) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT PARQUET)");
        }
        return file;
    }

    /**
     * Twelve sums as Parquet (integer answers, a source that is sometimes null, a params struct whose
     * {@code n} is null in one row) and as the .jsonl lines a user would write for them.
     */
    private Path[] twelveSums() throws Exception {
        StringBuilder rows = new StringBuilder();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            String source = i % 3 == 0 ? null : i % 2 == 0 ? "even" : "odd";
            Integer n = i == 5 ? null : i;
            rows.append(i == 0 ? "" : ", ").append("('").append(i).append("+").append(2 * i).append("=', ").append(3 * i)
                    .append(", ").append(source == null ? "NULL" : "'" + source + "'")
                    .append(", {'n': ").append(n).append(", 'w': ").append(i / 4.0).append("::DOUBLE})");
            lines.append("{\"prompt\": \"").append(i).append("+").append(2 * i).append("=\", \"answer\": ").append(3 * i)
                    .append(source == null ? "" : ", \"source\": \"" + source + "\"")
                    .append(", \"params\": {").append(n == null ? "" : "\"n\": " + n + ", ").append("\"w\": ").append(i / 4.0)
                    .append("}}\n");
        }
        Path pq = parquet(tmp.resolve("sums.parquet"), "SELECT prompt, answer::BIGINT AS answer, source, params, 'x' AS notes"
                + " FROM (VALUES " + rows + ") t(prompt, answer, source, params)");
        Path js = Files.writeString(tmp.resolve("sums.jsonl"), lines);
        return new Path[] {pq, js};
    }

    @Test
    void parquetAndJsonlCopiesGiveTheSameHeldOutSetAndTrainingOrder() throws Exception {
        Path[] files = twelveSums();
        ProblemBank pq = Banks.open(files[0].toString(), 7, 4);
        ProblemBank js = Banks.open(files[1].toString(), 7, 4);
        assertEquals(4, pq.heldout().size());
        assertEquals(js.heldout(), pq.heldout()); // records: id, source, prompt, answer and params, field by field
        List<Problem> stream = Stream.generate(pq::next).limit(16).toList(); // two passes over the 8 training problems
        assertEquals(Stream.generate(js::next).limit(16).toList(), stream);
        assertEquals(16, pq.position());
        assertTrue(pq.describe().startsWith(files[0] + " (8 training and 4 held-out problems, seed 7)"), pq.describe());
        // the fixture is not trivially equal: answers are digits, params and sources come through, row 5 has no n
        List<Problem> all = ParquetBank.read(files[0]).problems();
        assertEquals(new Problem(4, "even", "4+8=", "12", Map.of("n", 4.0, "w", 1.0)), all.get(4));
        assertEquals(new Problem(5, "odd", "5+10=", "15", Map.of("w", 1.25)), all.get(5));
        assertEquals(new Problem(6, null, "6+12=", "18", Map.of("n", 6.0, "w", 1.5)), all.get(6));
        assertEquals("even{n=4.0, w=1.0}", all.get(4).bucket());
        // another seed streams the same training problems in another order, with the same held-out set
        ProblemBank other = Banks.open(files[0].toString(), 8, 4);
        assertEquals(pq.heldout(), other.heldout());
        assertNotEquals(stream.subList(0, 8), Stream.generate(other::next).limit(8).toList());
    }

    @Test
    void numberAnswersReadAsTheJsonlBankReadsTheSameNumbers() throws Exception {
        // {DuckDB value, JSON value, the text both banks must give}
        String[][] cases = {
            {"12::INTEGER", "12", "12"},
            {"-7::TINYINT", "-7", "-7"},
            {"3000000000::UBIGINT", "3000000000", "3000000000"},
            {"1.5::DOUBLE", "1.5", "1.5"},
            {"12.0::DOUBLE", "12.0", "12.0"},
            {"1e20::DOUBLE", "1e20", "1.0E20"},
            {"12.50::DECIMAL(4,2)", "12.50", "12.5"},
            {"123456789012345678901234::DECIMAL(38,0)", "123456789012345678901234", "123456789012345678901234"},
            {"0.1::FLOAT", "0.1", "0.1"},
            {"'007'", "\"007\"", "007"},
        };
        for (int i = 0; i < cases.length; i++) {
            String[] c = cases[i];
            Path pq = parquet(tmp.resolve("a" + i + ".parquet"), "SELECT '1+1=' AS prompt, " + c[0] + " AS answer");
            Path js = Files.writeString(tmp.resolve("a" + i + ".jsonl"), "{\"prompt\": \"1+1=\", \"answer\": " + c[1] + "}\n");
            assertEquals(c[2], JsonlBank.read(js).problems().get(0).answer(), "JSON " + c[1]);
            assertEquals(c[2], ParquetBank.read(pq).problems().get(0).answer(), "Parquet " + c[0]);
        }
    }

    /** The one-line message of opening {@code file} as a bank with {@code heldout} held out. */
    private static String error(Path file, int heldout) {
        UserError e = assertThrows(UserError.class, () -> Banks.open(file.toString(), 0, heldout));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badParquetBanksFailWithOneLineNamingTheFileAndRow() throws Exception {
        Path f = tmp.resolve("bad.parquet");
        parquet(f, "SELECT '1+1=' AS question, '2' AS answer");             // GSM8K's columns, without its ####
        assertEquals("file " + f + " row 1: field \"answer\" has no final answer after '####'", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, '2' AS reply");
        assertEquals("file " + f + ": cannot tell the bank's format from its columns (prompt, reply); give --bank-format,"
                + " or --prompt-key and --answer-key", error(f, 0));
        parquet(f, "SELECT 11 AS prompt, '2' AS answer");
        assertEquals("file " + f + ": column \"prompt\" must be a string, got INTEGER", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, true AS answer");
        assertEquals("file " + f + ": column \"answer\" must be a string or a number, got BOOLEAN", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, '2' AS answer, 3 AS source");
        assertEquals("file " + f + ": column \"source\" must be a string, got INTEGER", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, '2' AS answer, map(['n'], [1.0::DOUBLE]) AS params");
        assertEquals("file " + f + ": column \"params\" must be a STRUCT of numbers, got MAP(VARCHAR, DOUBLE)", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, '2' AS answer, {'n': 1, 'd': 'one'} AS params");
        assertEquals("file " + f + ": params.d must be a number, got VARCHAR", error(f, 0));
        parquet(f, "SELECT * FROM (VALUES ('1+1=', '2'), (NULL, '4')) t(prompt, answer)");
        assertEquals("file " + f + " row 2: \"prompt\" must be a string, got null", error(f, 0));
        parquet(f, "SELECT * FROM (VALUES ('1+1=', 2), ('2+2=', 4), ('3+3=', NULL)) t(prompt, answer)");
        assertEquals("file " + f + " row 3: \"answer\" must be a string or a number, got null", error(f, 0));
        parquet(f, "SELECT '1+1=' AS prompt, '2' AS answer WHERE false");
        assertEquals("file " + f + ": no problems (expected rows with \"prompt\" and \"answer\")", error(f, 0));
        parquet(f, "SELECT * FROM (VALUES ('1+1=', '2'), ('2+2=', '4')) t(prompt, answer)");
        assertEquals("--tasks " + f + " has 2 distinct problems; it needs more than --heldout (2) so that some are left for training", error(f, 2));
        Path missing = tmp.resolve("missing.parquet");
        assertEquals("--tasks " + missing + ": no such file", error(missing, 0));
        Path text = Files.writeString(tmp.resolve("text.parquet"), "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n");
        assertTrue(error(text, 0).startsWith("cannot read Parquet file " + text + ": "), error(text, 0));
        Path csv = tmp.resolve("bank.csv");
        assertEquals("--tasks " + csv + ": expected builtin:arith, a .jsonl file of {\"prompt\", \"answer\"} lines or a .parquet file"
                + " with \"prompt\" and \"answer\" columns", error(csv, 0));
    }

    private record Outcome(int code, String err) {
    }

    private static Outcome run(List<String> args) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(Main.run(args.toArray(String[]::new)), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    /** The smallest real {@code curlab rl} run (a fresh micro policy, one step) on {@code bank}. */
    private static List<String> tinyRun(Path bank, Path out) {
        return new ArrayList<>(List.of("rl", "--tasks", bank.toString(), "--model", "micro", "--steps", "1", "-N", "4", "-B", "2",
                "-G", "2", "--max-new", "2", "--heldout", "2", "--out", out.toString(), "--no-progress"));
    }

    @Test
    void rlTrainsOnAParquetBankAndABadOneExits2WithOneLine() throws Exception {
        Path bank = twelveSums()[0];
        Path out = tmp.resolve("run");
        Outcome ok = run(tinyRun(bank, out));
        assertEquals(0, ok.code(), ok.err());
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(1, metrics.stream().filter(l -> l.contains("\"kind\":\"step\"")).count(), String.join("\n", metrics));
        assertTrue(Files.readString(out.resolve("config.json")).contains("sums.parquet"), "config.json names the bank");

        Path bad = parquet(tmp.resolve("bad.parquet"), "SELECT * FROM (VALUES ('1+1=', '2'), ('2+2=', NULL)) t(prompt, answer)");
        Path nowhere = tmp.resolve("bad-run");
        Outcome o = run(tinyRun(bad, nowhere));
        assertEquals(2, o.code(), o.err());
        List<String> errors = o.err().lines().filter(l -> l.startsWith("curlab: error:")).toList();
        assertEquals(List.of("curlab: error: file " + bad + " row 2: \"answer\" must be a string or a number, got null"), errors, o.err());
        assertFalse(o.err().lines().anyMatch(l -> !l.startsWith("curlab: ")), "only curlab's own lines: " + o.err());
        assertFalse(Files.exists(nowhere), "a failed start writes no run directory");
    }
}
