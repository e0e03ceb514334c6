package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code curlab rl} on the field's bank formats: bad banks fail in one line before anything is written; old runs resume. */
class RlBanksCliTest {
    private static final Path GSM8K = Path.of("src/test/resources/banks/gsm8k-sample.jsonl");

    @TempDir
    Path tmp;

    private static List<String> args(Path out, String tasks, String... more) {
        List<String> a = new ArrayList<>(List.of("rl", "--tasks", tasks, "--curator", "uniform", "--steps", "2", "-N", "2", "-B", "2",
                "-G", "2", "--max-new", "3", "--heldout", "2", "--eval-every", "1", "--checkpoint-every", "1", "--out", out.toString(),
                "--no-progress"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void badBanksFailWithOneLineAndWriteNothing() throws Exception {
        Path out = tmp.resolve("bad");
        Path bank = Files.writeString(tmp.resolve("long.jsonl"), "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n"
                + "{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n{\"prompt\": \"123+456=\", \"answer\": \"579\"}\n");
        BadInputTest.assertBad(BadInputTest.run(args(out, bank.toString(), "--context", "9").toArray(String[]::new)),
                "file " + bank + " line 3: prompt is 8 tokens; the policy's context of 9 leaves no room for an answer");
        BadInputTest.assertBad(BadInputTest.run(args(out, bank.toString(), "--heldout-tasks", bank.toString()).toArray(String[]::new)),
                "--heldout-tasks " + bank + " is the --tasks file");
        BadInputTest.assertBad(BadInputTest.run(args(out, bank.toString(), "--answer-format", "json").toArray(String[]::new)),
                "--answer-format must be exact, last-number, gsm8k or boxed, got 'json'");
        BadInputTest.assertBad(BadInputTest.run(args(out, bank.toString(), "--bank-format", "csv").toArray(String[]::new)),
                "--bank-format must be one of auto, curlab, verl, trl, gsm8k, math, got 'csv'");
        BadInputTest.assertBad(BadInputTest.run(args(out, GSM8K.toString(), "--bank-format", "math").toArray(String[]::new)),
                "file " + GSM8K + ": no column \"problem\" for a math bank");
        assertFalse(Files.exists(out), "a failed start writes no run directory");
    }

    @Test
    void aGsm8kBankTrainsAndARunWithoutTheNewKeysResumes() throws Exception {
        Path out = tmp.resolve("gsm8k");
        assertEquals(0, Main.run(args(out, GSM8K.toString(), "--context", "192", "--answer-format", "last-number", "--steps", "3")
                .toArray(String[]::new)));
        List<Map<String, Object>> whole = RunFiles.metricsWithoutTimes(out);
        assertTrue(whole.stream().filter(m -> m.get("kind").equals("step")).allMatch(m -> m.containsKey("acc_mean")), whole.toString());
        // a run started before --answer-format and the bank options existed: its config.json lacks their keys
        Path old = tmp.resolve("old");
        Path arith = Files.writeString(tmp.resolve("sums.jsonl"), "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n"
                + "{\"prompt\": \"2+2=\", \"answer\": \"4\"}\n{\"prompt\": \"3+3=\", \"answer\": \"6\"}\n{\"prompt\": \"4+4=\", \"answer\": \"8\"}\n");
        assertEquals(0, Main.run(args(old, arith.toString()).toArray(String[]::new)));
        Path config = old.resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(config.toFile());
        ObjectNode cfg = (ObjectNode) root.get("config");
        for (String key : List.of("heldoutTasks", "answerFormat", "bankFormat", "promptKey", "answerKey")) {
            assertTrue(cfg.has(key), key);
            cfg.remove(key);
        }
        json.writeValue(config.toFile(), root);
        assertEquals(0, Main.run("rl", "--resume", old.toString(), "--steps", "3", "--no-progress"));
        assertEquals(3, RunFiles.metricsWithoutTimes(old).stream().filter(m -> m.get("kind").equals("step")).count());
    }
}
