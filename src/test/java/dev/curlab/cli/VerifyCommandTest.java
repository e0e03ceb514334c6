package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.eval.ReferenceCheck;
import dev.curlab.eval.ReferenceCheck.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curlab verify}: the comparison logic on a fixture file (whatever CPU runs the test), and the
 * command against a reference generated in the test on this machine.
 */
class VerifyCommandTest {
    @TempDir
    Path tmp;

    static List<ReferenceCheck.Reference> fixture() throws Exception {
        return VerifyCommand.read(Path.of(VerifyCommandTest.class.getResource("/dev/curlab/verify/fixture-reference.json").toURI()));
    }

    @Test
    void fixtureVerdicts() throws Exception {
        List<ReferenceCheck.Reference> refs = fixture();
        ReferenceCheck.Verdict v = ReferenceCheck.check(refs, "avx512", 1, new double[] {5.5, 5.0, 4.5}, 1e-3);
        assertEquals(Outcome.IDENTICAL, v.outcome());
        assertEquals("bit-identical to the reference values for avx512 with 1 thread (CPU A)", v.message());

        // the avx2 machine matches its own entry exactly, though it is within tolerance of avx512's too
        assertEquals(Outcome.IDENTICAL, ReferenceCheck.check(refs, "avx2", 1, new double[] {5.5, 5.0002, 4.4996}, 1e-3).outcome());

        // avx2 values on an avx512 machine: not bit-identical to avx512's, within tolerance of avx2's (difference 0)
        v = ReferenceCheck.check(refs, "avx512", 1, new double[] {5.5, 5.0002, 4.4996}, 1e-3);
        assertEquals(Outcome.WITHIN, v.outcome());
        assertEquals("CPU B", v.against().cpu());
        assertTrue(v.message().startsWith("not bit-identical to the reference for this family and thread count (avx512 with 1 thread "
                + "(CPU A), largest difference 0.000400"), v.message());

        // no entry for two threads: judged by the tolerance alone
        v = ReferenceCheck.check(refs, "avx512", 2, new double[] {5.5, 5.00001, 4.5}, 1e-3);
        assertEquals(Outcome.WITHIN, v.outcome());
        assertEquals(1e-5, v.maxDiff(), 1e-12);
        assertTrue(v.message().startsWith("no reference values for avx512 with 2 threads; within 0.00100 of avx512 with 1 thread"),
                v.message());

        // beyond the tolerance of every entry, or another number of evaluations
        v = ReferenceCheck.check(refs, "avx512", 1, new double[] {5.5, 5.0, 4.51}, 1e-3);
        assertEquals(Outcome.OUTSIDE, v.outcome());
        assertFalse(v.passed());
        assertEquals(0.01, v.maxDiff(), 1e-9);                          // closest: CPU A (0.01; CPU B is 0.0104 away)
        assertEquals("CPU A", v.against().cpu());
        assertEquals(Outcome.OUTSIDE, ReferenceCheck.check(refs, "avx512", 1, new double[] {5.5, 5.0}, 1e-3).outcome());
    }

    static String[] verify(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "verify";
        System.arraycopy(args, 0, a, 1, args.length);
        return a;
    }

    @Test
    void theCommandAgainstAReferenceMadeHere() throws Exception {
        Path ref = tmp.resolve("ref.json");
        assertEquals(0, Main.run(verify("--write-reference", ref.toString())));
        String printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(verify("--reference", ref.toString()))));
        assertTrue(printed.contains("ok: bit-identical to the reference values for "), printed);

        // move this machine's last eval loss by 0.01: beyond the default tolerance of 0.001, so the check fails
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(ref.toFile());
        ArrayNode losses = (ArrayNode) root.get("references").get(0).get("evalLoss");
        int last = losses.size() - 1;
        losses.set(last, losses.get(last).asDouble() + 0.01);
        json.writeValue(ref.toFile(), root);
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(1, Main.run(verify("--reference", ref.toString()))));
        assertTrue(printed.contains("FAILED: differs from every reference by more than 0.00100"), printed);
        // ... and within a tolerance of 0.02 it passes, not bit for bit
        printed = CompareCommandTest.stdoutOf(() -> assertEquals(0, Main.run(verify("--reference", ref.toString(), "--tolerance", "0.02"))));
        assertTrue(printed.contains("ok: not bit-identical to the reference for this family and thread count"), printed);
    }

    @Test
    void badReferenceFilesAreBadInput() throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"references\": []}");
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(verify("--reference", bad.toString()))));
        assertTrue(err.contains("curlab: error: --reference " + bad + ": expected an object with a non-empty \"references\" array"), err);
        Files.writeString(bad, "{\"references\": [{\"family\": \"avx2\"}]}");
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(verify("--reference", bad.toString()))));
        assertTrue(err.contains("a reference needs family, threads, cpu and evalLoss"), err);
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(verify("--tolerance", "-1"))));
        assertTrue(err.contains("curlab: error: --tolerance must be a number >= 0, got -1.0"), err);
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, Main.run(verify("--reference", tmp.resolve("none.json").toString()))));
        assertTrue(err.contains("curlab: error: --reference " + tmp.resolve("none.json") + ": unreadable"), err);
    }

    @Test
    void theBundledReferencesCoverBothFamilies() {
        List<ReferenceCheck.Reference> refs = VerifyCommand.bundled();
        assertTrue(refs.stream().anyMatch(r -> r.family().equals("avx512")), refs.toString());
        assertTrue(refs.stream().anyMatch(r -> r.family().equals("avx2")), refs.toString());
        assertTrue(refs.stream().allMatch(r -> r.evalLoss().size() == 5), refs.toString());   // evals at steps 0, 10, 20, 30, 40
    }
}
