package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.BpeTokenizer;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.Tokenizer;
import dev.curlab.interop.HfTokenizerFiles;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.run.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export read by Hugging Face transformers itself (scripts/hf-export-check.py), where python3 has
 * it: AutoTokenizer on the exported files gives curlab's ids for whole texts, and, with torch, the
 * exported model gives curlab's logits. Skipped where transformers is not installed.
 */
class HfExportPythonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TEXTS = List.of("Hello world! It's a curriculum.", "  two  spaces\nand\ttabs\n\n", "\u00fcber 12345 caf\u00e9",
            "x = f(y) + 3; // don't", "\u4e2d\u6587 and emoji \ud83d\ude00", "<|endoftext|> is text here");

    @TempDir
    Path dir;

    private static int python(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            return p.waitFor(300, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private JsonNode check(Path export) throws Exception {
        Path texts = dir.resolve("texts.json");
        JSON.writeValue(texts.toFile(), TEXTS);
        Path out = dir.resolve("out.json");
        assertEquals(0, python("scripts/hf-export-check.py", export.toString(), texts.toString(), out.toString()));
        return JSON.readTree(out.toFile());
    }

    /** The same ids for every text, and the text back from them; "<|endoftext|>" written in a text is read as text by both. */
    private static void assertSameIds(Tokenizer curlab, JsonNode got) {
        for (int i = 0; i < TEXTS.size(); i++) {
            String text = TEXTS.get(i);
            int[] ids = new int[got.get("ids").get(i).size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = got.get("ids").get(i).get(j).asInt();
            }
            assertArrayEquals(curlab.encode(text), ids, text);
            assertEquals(text, got.get("decoded").get(i).asText(), "transformers decodes its ids back to the text");
        }
    }

    @Test
    void transformersTokenisesWholeTextsAsCurlabsGpt2Encoding() throws Exception {
        Assumptions.assumeTrue(python("-c", "import transformers") == 0, "python3 with transformers is not installed");
        HfTokenizerFiles.write(dir.resolve("gpt2"), "gpt2", 1024);
        JsonNode got = check(dir.resolve("gpt2"));
        assertEquals(50256, got.get("eos_token_id").asInt());
        assertSameIds(new BpeTokenizer(), got);
    }

    @Test
    void transformersLoadsAByteModelWholeTokenizerAndWeights() throws Exception {
        Assumptions.assumeTrue(python("-c", "import transformers") == 0, "python3 with transformers is not installed");
        GptConfig nano = GptConfig.preset("nano", 64, 257);
        Path run = dir.resolve("run");
        try (Gpt2Model m = new Gpt2Model(nano, 21)) {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("model", nano.shapeMap());
            state.put("tokenizer", "bytes");
            new CheckpointStore(run).write(5, Map.of("model", m.parameters()), state);
        }
        Path hf = dir.resolve("hf");
        assertEquals(0, Main.run("export", "--checkpoint", run.toString(), "--to", "hf", hf.toString()));
        JsonNode got = check(hf);
        assertEquals(256, got.get("eos_token_id").asInt());
        assertSameIds(new ByteTokenizer(), got);
        if (got.get("logits").isNull()) {
            System.out.println("HfExportPythonTest: no torch in python3, logits not compared");
            return;                                                  // no torch: the tokenizer is what was checked
        }
        int[] ids = new ByteTokenizer().encode(TEXTS.get(0));
        float[] want;
        try (Gpt2Model m = new Gpt2Model(nano, 21); NDManager step = m.manager().newSubManager()) {
            NDArray x = step.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length));
            float[] all = m.logits(step, m.hidden(step, x)).toFloatArray();                          // (1, T, V)
            want = Arrays.copyOfRange(all, (ids.length - 1) * 257, ids.length * 257);
        }
        assertEquals(257, got.get("logits").size());
        for (int v = 0; v < 257; v++) {
            assertEquals(want[v], got.get("logits").get(v).asDouble(), 1e-4 * Math.max(1, Math.abs(want[v])), "logit " + v);
        }
        assertTrue(Files.exists(hf.resolve("TOKENIZER.md")));
    }
}
