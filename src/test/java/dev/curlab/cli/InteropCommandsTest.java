package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.DataSource;
import dev.curlab.data.DataSpecs;
import dev.curlab.data.Role;
import dev.curlab.data.Window;
import dev.curlab.eval.Evaluator;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.model.hf.HfGpt2;
import dev.curlab.run.CheckpointStore;
import dev.curlab.train.HeldoutData;
import dev.curlab.train.TrainConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's paths through the real CLI: export, eval on curlab and HF directories, train --init-from. */
class InteropCommandsTest {
    static final GptConfig NANO = GptConfig.preset("nano", 16, 257);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path run;
    private Path data;

    record Out(int code, String out, String err) {
    }

    static Out cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Out(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A curlab run with one checkpoint of a seeded nano model, and a small Parquet data file. */
    @BeforeEach
    void setUp() throws Exception {
        run = dir.resolve("run");
        try (Gpt2Model m = new Gpt2Model(NANO, 21)) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("model", Map.of("layers", 2, "d_model", 64, "heads", 2, "context", 16, "vocab", 257));
            state.put("tokenizer", "bytes");
            new CheckpointStore(run).write(5, Map.of("model", m.parameters()), state);
        }
        data = dir.resolve("docs.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'document number ' || i || ' says hello' AS text FROM range(40) t(i)) TO '" + data + "' (FORMAT PARQUET)");
        }
    }

    @Test
    void exportRoundTripIsBitExactAndEvalAgreesOnBothLayouts() throws Exception {
        Path hf = dir.resolve("hf");
        Out export = cli("export", "--checkpoint", run.toString(), "--to", "hf", hf.toString());
        assertEquals(0, export.code(), export.err());
        assertTrue(export.out().startsWith("exported " + run.resolve("checkpoints/step-00000005")), export.out());
        assertTrue(export.out().contains("tokenizer: vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json, TOKENIZER.md"
                + " (bytes: ids 0-255 = UTF-8 bytes, 256 = end of text, as GPT-2 files without merges)"), export.out());
        try (Gpt2Model original = new Gpt2Model(NANO, 21); Gpt2Model back = HfGpt2.open(hf, "test")) {
            assertArrayEquals(logits(original), logits(back));
        }
        Out a = cli("eval", "--checkpoint", run.toString(), "--data", data.toString(), "--json");
        Out b = cli("eval", "--checkpoint", hf.toString(), "--data", data.toString(), "--json", "--batch", "32");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        JsonNode ja = JSON.readTree(a.out());
        JsonNode jb = JSON.readTree(b.out());
        assertEquals("bytes", jb.get("tokenizer").asText()); // recorded in the exported config.json
        // 40 documents of 33-34 bytes + 39 separators = 1,389 tokens: 81 windows of 17 tokens.
        int tokens = 39;
        for (int i = 0; i < 40; i++) {
            tokens += ("document number " + i + " says hello").length();
        }
        assertEquals(tokens / 17, ja.get("windows").asLong());
        assertEquals(tokens / 17 * 16, ja.get("tokens").asLong());
        assertEquals(ja.get("mean_loss").asDouble(), jb.get("mean_loss").asDouble(), 1e-6);
        assertEquals(Math.exp(ja.get("mean_loss").asDouble()), ja.get("perplexity").asDouble(), 1e-9);
        // The same number from the trainer's evaluator on the same windows.
        try (Gpt2Model m = HfGpt2.open(hf, "test"); DataSource src = DataSpecs.open(data.toString(), new ByteTokenizer(), 16, 0, Role.EVAL)) {
            List<Window> windows = DataSpecs.take(src, 1000);
            double expected = new Evaluator(32).meanLoss(new WindowScorer(m), m.manager(), windows);
            assertEquals(expected, jb.get("mean_loss").asDouble(), 0.0);
        }
        Out text = cli("eval", "--checkpoint", run.toString(), "--data", data.toString(), "--max-windows", "3", "--context", "8");
        assertTrue(text.out().contains("over 3 windows (24 tokens, T=8, tokenizer bytes)"), text.out());
    }

    private static float[] logits(Gpt2Model m) {
        try (NDManager step = m.manager().newSubManager()) {
            NDArray ids = step.create(new long[] {1, 5, 200, 256, 7, 9, 100, 3}, new ai.djl.ndarray.types.Shape(1, 8));
            return m.logits(step, m.hidden(step, ids)).toFloatArray();
        }
    }

    @Test
    void trainInitFromStartsAtTheCheckpointsWeights() throws Exception {
        Path hf = dir.resolve("hf");
        assertEquals(0, cli("export", "--checkpoint", run.toString(), "--to", "hf", hf.toString()).code());
        String[] args = {"train", "--data", "builtin:mixture", "--model", "nano", "--context", "16", "--steps", "1",
            "--candidates", "2", "--heldout-batch", "2", "--heldout-windows", "4", "--eval-windows", "4",
            "--init-from", hf.toString(), "--out", dir.resolve("r1").toString(), "--no-progress"};
        Out r = cli(args);
        assertEquals(0, r.code(), r.err());
        JsonNode first = JSON.readTree(Files.readAllLines(dir.resolve("r1/metrics.jsonl")).get(0));
        TrainConfig cfg = TrainConfig.builder().data("builtin:mixture").context(16).steps(1).candidates(2).heldoutBatch(2)
                .heldoutWindows(4).evalWindows(4).reward("absolute").initFrom(hf.toString()).build();
        try (Gpt2Model m = HfGpt2.open(hf, "test")) {
            HeldoutData held = HeldoutData.load(cfg, new ByteTokenizer());
            double expected = new Evaluator(32).meanLoss(new WindowScorer(m), m.manager(), held.eval());
            assertEquals(expected, first.get("eval_loss").asDouble(), 0.0, "step-0 eval uses the imported weights");
        }
        args[4] = "micro";
        args[args.length - 2] = dir.resolve("r2").toString();
        Out bad = cli(args);
        assertEquals(2, bad.code());
        assertEquals("curlab: error: --init-from " + hf + ": the checkpoint has 2 layers, d_model 64, 2 heads, vocab 257 but the model"
                + " has 4 layers, d_model 128, 4 heads, vocab 257; use --model nano\n", bad.err());
    }

    @Test
    void userMistakesAreOneLineErrors() throws Exception {
        assertError("curlab: error: nothing to evaluate: give --data SPEC and/or --task NAME=PATH", "eval", "--checkpoint", run.toString());
        assertError("curlab: error: --task: unknown task 'arc' (expected hellaswag=FILE or mmlu=DIR)",
                "eval", "--checkpoint", run.toString(), "--task", "arc=x");
        assertError("curlab: error: --max-windows is required for builtin data (its stream never ends)",
                "eval", "--checkpoint", run.toString(), "--data", "builtin:mixture");
        assertError("curlab: error: --context must be between 1 and the model's context 16, got 64",
                "eval", "--checkpoint", run.toString(), "--data", data.toString(), "--context", "64");
        assertError("curlab: error: --tokenizer gpt2 has 50257 ids but the model's vocabulary has 257; choose the tokenizer it was trained with",
                "eval", "--checkpoint", run.toString(), "--data", data.toString(), "--tokenizer", "gpt2");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertError("curlab: error: --checkpoint " + empty + ": not a curlab run, a curlab checkpoint or a Hugging Face GPT-2 directory"
                + " (expected checkpoints/, state.json, or config.json with model.safetensors)", "eval", "--checkpoint", empty.toString(),
                "--data", data.toString());
        assertError("curlab: error: --to: unknown format 'onnx' (expected hf)",
                "export", "--checkpoint", run.toString(), "--to", "onnx", dir.resolve("o").toString());
        assertError("curlab: error: OUT " + run + " holds a curlab run (checkpoints); export into another directory",
                "export", "--checkpoint", run.toString(), "--to", "hf", run.toString());
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("x.txt"), "x");
        assertError("curlab: error: OUT " + other + " is not empty; choose another directory or pass --overwrite",
                "export", "--checkpoint", run.toString(), "--to", "hf", other.toString());
    }

    private static void assertError(String expected, String... args) {
        Out o = cli(args);
        assertEquals(2, o.code(), o.out());
        assertEquals(expected + "\n", o.err());
    }
}
