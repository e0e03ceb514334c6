package dev.curlab.model.hf;

import static dev.curlab.model.hf.TinyCheckpoints.TINY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.hf.TinyCheckpoints.Raw;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import of GPT-2 checkpoints in the Hugging Face layout: exact round trips and one test per error. */
class HfGpt2Test {
    @TempDir
    Path dir;

    private Path export(Gpt2Model m, String name) {
        Path out = dir.resolve(name);
        HfGpt2.export(m, "bytes", 49, out);
        return out;
    }

    @Test
    void exportThenLoadReproducesLogitsBitForBit() throws Exception {
        try (Gpt2Model a = new Gpt2Model(TINY, 11)) {
            Path hf = export(a, "hf");
            JsonNode cfg = new ObjectMapper().readTree(hf.resolve("config.json").toFile());
            assertEquals("gpt2", cfg.get("model_type").asText());
            assertEquals(2, cfg.get("n_layer").asInt());
            assertEquals(32, cfg.get("n_embd").asInt());
            assertEquals(16, cfg.get("n_positions").asInt());
            assertEquals(50, cfg.get("vocab_size").asInt());
            try (SafeTensors st = SafeTensors.open(hf.resolve("model.safetensors"))) {
                assertEquals(a.parameterNames(), List.copyOf(st.entries().keySet())); // HF names, no prefix
                assertTrue(st.entries().values().stream().allMatch(e -> e.dtype().equals("F32")));
                assertEquals(0, (st.entries().get("wte.weight").begin()) % 8, "data starts 8-byte aligned");
            }
            try (Gpt2Model b = HfGpt2.open(hf, "test")) {
                assertEquals(TINY.context(), b.config().context());
                assertArrayEquals(TinyCheckpoints.logits(a, 5, 3, 16), TinyCheckpoints.logits(b, 5, 3, 16));
            }
            // A model with a shorter context uses wpe's first rows and agrees on short inputs.
            try (Gpt2Model c = new Gpt2Model(new GptConfig("custom", 2, 32, 2, 8, 50), 99)) {
                HfGpt2.load(hf, c, "test");
                assertArrayEquals(TinyCheckpoints.logits(a, 6, 2, 8), TinyCheckpoints.logits(c, 6, 2, 8));
            }
        }
    }

    @Test
    void halfPrecisionDecodesExactly() {
        assertEquals(1.0f, SafeTensors.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, SafeTensors.halfToFloat((short) 0xC000));
        assertEquals(65504f, SafeTensors.halfToFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, SafeTensors.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(-0.0f, SafeTensors.halfToFloat((short) 0x8000));
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7E00)));
        assertEquals(0.333251953125f, SafeTensors.halfToFloat((short) 0x3555));
    }

    /** A file as transformers writes it: transformer. prefix, attn buffers, lm_head; one F16 and one BF16 tensor. */
    @Test
    void readsPrefixedFileWithBuffersAndF16AndBf16Tensors() throws Exception {
        try (Gpt2Model a = new Gpt2Model(TINY, 3)) {
            float[] ln = steps(32, 0);          // k/1024: exact in F16 and BF16
            float[] qkv = steps(32 * 96, 7);
            a.parameters().get("h.0.ln_1.weight").set(ln);
            a.parameters().get("h.1.attn.c_attn.weight").set(qkv);
            List<Raw> raw = new ArrayList<>();
            for (Raw r : TinyCheckpoints.asRaw(a).values()) {
                Raw t = switch (r.name()) {
                    case "h.0.ln_1.weight" -> Raw.f16(r.name(), r.shape(), ln);
                    case "h.1.attn.c_attn.weight" -> Raw.bf16(r.name(), r.shape(), qkv);
                    default -> r;
                };
                raw.add(new Raw("transformer." + t.name(), t.dtype(), t.shape(), t.bytes()));
            }
            raw.add(Raw.f32("transformer.h.0.attn.bias", new long[] {1, 1, 16, 16}, new float[256]));
            raw.add(Raw.f32("transformer.h.1.attn.masked_bias", new long[] {}, new float[] {-1e4f}));
            raw.add(Raw.f32("lm_head.weight", new long[] {50, 32}, a.parameters().get("wte.weight").toFloatArray()));
            Path hf = dir.resolve("prefixed");
            TinyCheckpoints.writeRaw(hf.resolve("model.safetensors"), raw);
            HfGpt2Config.of(TINY, null).write(hf, 49);
            try (SafeTensors st = SafeTensors.open(hf.resolve("model.safetensors"))) {
                assertEquals("F16", st.entries().get("transformer.h.0.ln_1.weight").dtype());
                assertArrayEquals(ln, st.floats("transformer.h.0.ln_1.weight"));
                assertArrayEquals(qkv, st.floats("transformer.h.1.attn.c_attn.weight"));
            }
            try (Gpt2Model b = HfGpt2.open(hf, "test")) {
                for (Map.Entry<String, ai.djl.ndarray.NDArray> p : a.parameters().entrySet()) {
                    assertArrayEquals(p.getValue().toFloatArray(), b.parameters().get(p.getKey()).toFloatArray(), p.getKey());
                }
                assertArrayEquals(TinyCheckpoints.logits(a, 8, 2, 16), TinyCheckpoints.logits(b, 8, 2, 16));
            }
        }
    }

    private static float[] steps(int n, int seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextInt(129) - 64) / 1024f;
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------
    // One test per error
    // ---------------------------------------------------------------------------------------------

    /** Writes TINY's tensors after {@code edit} and returns the directory. */
    private Path withTensors(String name, java.util.function.Consumer<List<Raw>> edit) throws Exception {
        try (Gpt2Model a = new Gpt2Model(TINY, 1)) {
            List<Raw> raw = new ArrayList<>(TinyCheckpoints.asRaw(a).values());
            edit.accept(raw);
            Path hf = dir.resolve(name);
            TinyCheckpoints.writeRaw(hf.resolve("model.safetensors"), raw);
            HfGpt2Config.of(TINY, null).write(hf, 49);
            return hf;
        }
    }

    private static String loadError(Path hf, GptConfig shape) {
        try (Gpt2Model m = new Gpt2Model(shape, 0)) {
            return assertThrows(UserError.class, () -> HfGpt2.load(hf, m, "--init-from " + hf)).getMessage();
        }
    }

    @Test
    void missingTensor() throws Exception {
        Path hf = withTensors("missing", raw -> raw.removeIf(r -> r.name().equals("ln_f.bias")));
        assertEquals("--init-from " + hf + ": " + hf.resolve("model.safetensors") + " has no tensor ln_f.bias", loadError(hf, TINY));
    }

    @Test
    void unexpectedTensor() throws Exception {
        Path hf = withTensors("extra", raw -> raw.add(Raw.f32("h.0.attn.rotary", new long[] {3}, new float[3])));
        assertEquals("--init-from " + hf + ": " + hf.resolve("model.safetensors") + " has an unexpected tensor h.0.attn.rotary (3)"
                + " (not part of a GPT-2 with 2 layers, d_model 32, 2 heads, vocab 50, n_positions 16)", loadError(hf, TINY));
    }

    @Test
    void tensorOfTheWrongShape() throws Exception {
        Path hf = withTensors("shape", raw -> raw.replaceAll(r -> r.name().equals("h.1.mlp.c_fc.weight")
                ? Raw.f32(r.name(), new long[] {128, 32}, new float[128 * 32]) : r));
        assertEquals("--init-from " + hf + ": tensor h.1.mlp.c_fc.weight in " + hf.resolve("model.safetensors")
                + " has shape (128, 32), expected (32, 128) from config.json (2 layers, d_model 32, 2 heads, vocab 50, n_positions 16)",
                loadError(hf, TINY));
    }

    @Test
    void unsupportedDtype() throws Exception {
        Path hf = withTensors("dtype", raw -> raw.replaceAll(r -> r.name().equals("ln_f.bias")
                ? new Raw(r.name(), "I32", r.shape(), r.bytes()) : r));
        assertEquals("--init-from " + hf + ": tensor ln_f.bias in " + hf.resolve("model.safetensors")
                + " has dtype I32 (expected F32, F16, BF16 or F64)", loadError(hf, TINY));
    }

    @Test
    void checkpointOfAnotherShapeNamesThePreset() throws Exception {
        try (Gpt2Model nano = new Gpt2Model(GptConfig.preset("nano", 16, 257), 1)) {
            Path hf = dir.resolve("nano");
            HfGpt2.export(nano, "bytes", 256, hf);
            assertEquals("--init-from " + hf + ": the checkpoint has 2 layers, d_model 64, 2 heads, vocab 257 but the model has"
                    + " 4 layers, d_model 128, 4 heads, vocab 257; use --model nano", loadError(hf, GptConfig.preset("micro", 16, 257)));
            assertEquals("--init-from " + hf + ": the checkpoint supports 16 positions (n_positions) but the model's context is 32;"
                    + " use --context 16 or less", loadError(hf, GptConfig.preset("nano", 32, 257)));
            assertEquals("--init-from " + hf + ": the checkpoint has 2 layers, d_model 64, 2 heads, vocab 257 but the model has"
                    + " 2 layers, d_model 64, 2 heads, vocab 50257; use --model nano and a tokenizer with 257 ids",
                    loadError(hf, GptConfig.preset("nano", 16, 50257)));
        }
    }

    @Test
    void duplicateNamesWithAndWithoutPrefix() throws Exception {
        Path hf = withTensors("dup", raw -> raw.add(new Raw("transformer.ln_f.bias", "F32", new long[] {32}, new byte[128])));
        assertEquals("--init-from " + hf + ": " + hf.resolve("model.safetensors")
                + " holds tensor ln_f.bias twice (with and without the transformer. prefix)", loadError(hf, TINY));
    }

    @Test
    void truncatedOrForeignSafetensorsFile() throws Exception {
        Path hf = withTensors("cut", raw -> { });
        Path f = hf.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 100));
        assertTrue(loadError(hf, TINY).startsWith("safetensors file " + f + " is corrupt: tensor ln_f.bias ends at byte "),
                loadError(hf, TINY));
        Files.writeString(f, "PK\u0003\u0004 this is a zip");
        assertTrue(loadError(hf, TINY).startsWith("safetensors file " + f + " is corrupt: header length "), loadError(hf, TINY));
    }

    @Test
    void badConfigAndMissingFiles() throws Exception {
        Path hf = withTensors("cfg", raw -> { });
        Files.writeString(hf.resolve("config.json"), "{\"model_type\":\"gpt2\",\"n_layer\":2,\"n_embd\":32,\"n_head\":2,\"vocab_size\":50}");
        assertEquals("--init-from " + hf + ": " + hf.resolve("config.json") + " needs a positive integer \"n_positions\", got null",
                loadError(hf, TINY));
        Files.writeString(hf.resolve("config.json"), "{\"model_type\":\"llama\"}");
        assertEquals("--init-from " + hf + ": " + hf.resolve("config.json") + " has model_type \"llama\" (expected gpt2)", loadError(hf, TINY));
        Files.delete(hf.resolve("config.json"));
        assertEquals("--init-from " + hf + ": no config.json (expected a Hugging Face GPT-2 directory with config.json and model.safetensors)",
                loadError(hf, TINY));
        Path run = Files.createDirectories(dir.resolve("run/checkpoints"));
        assertEquals("--init-from " + run.getParent() + ": no model.safetensors in " + run.getParent()
                + " (expected a Hugging Face GPT-2 directory); this is a curlab run or checkpoint: convert it with curlab export --checkpoint "
                + run.getParent() + " --to hf OUT", loadError(run.getParent(), TINY));
        assertFalse(loadError(run.getParent(), TINY).contains("\n"));
    }
}
