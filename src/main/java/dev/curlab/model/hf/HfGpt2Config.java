package dev.curlab.model.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.model.GptConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape keys of a Hugging Face GPT-2 {@code config.json}.
 *
 * @param layers    n_layer
 * @param dModel    n_embd
 * @param heads     n_head
 * @param positions n_positions: rows of wpe, the longest context the checkpoint supports
 * @param vocab     vocab_size: rows of wte
 * @param tokenizer curlab's tokenizer name when curlab wrote the file ({@code curlab_tokenizer}), else null
 */
public record HfGpt2Config(int layers, int dModel, int heads, int positions, int vocab, String tokenizer) {
    static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Reads {@code dir/config.json}; {@code what} names the option or directory in messages. */
    public static HfGpt2Config read(Path dir, String what) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError(what + ": no " + FILE + " (expected a Hugging Face GPT-2 directory with "
                    + FILE + " and " + HfGpt2.WEIGHTS + ")");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError(what + ": " + file + " is not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null || !root.isObject()) {
            throw new UserError(what + ": " + file + " is not a JSON object");
        }
        JsonNode type = root.get("model_type");
        if (type != null && !"gpt2".equals(type.asText())) {
            throw new UserError(what + ": " + file + " has model_type \"" + type.asText() + "\" (expected gpt2)");
        }
        supported(root, file, what);
        int positions = positiveInt(root, "n_positions", file, what);
        JsonNode nCtx = root.get("n_ctx");
        if (nCtx != null && nCtx.isInt() && nCtx.intValue() != positions) {
            throw new UserError(what + ": " + file + " has n_ctx " + nCtx.intValue() + " but n_positions " + positions
                    + " (expected them equal)");
        }
        JsonNode tok = root.get("curlab_tokenizer");
        return new HfGpt2Config(positiveInt(root, "n_layer", file, what), positiveInt(root, "n_embd", file, what),
                positiveInt(root, "n_head", file, what), positions, positiveInt(root, "vocab_size", file, what),
                tok != null && tok.isTextual() ? tok.textValue() : null);
    }

    /** Activations curlab's MLP computes: GPT-2's tanh-approximated GELU under its Hugging Face names. */
    static final java.util.Set<String> ACTIVATIONS = java.util.Set.of("gelu_new", "gelu_pytorch_tanh");

    /**
     * Refuses what curlab's GPT-2 does not compute, naming the key: another activation, an untied
     * output head (curlab's head is wte), another inner width of the MLP than 4 x n_embd.
     */
    private static void supported(JsonNode root, Path file, String what) {
        JsonNode act = root.get("activation_function");
        if (act != null && !act.isNull() && !ACTIVATIONS.contains(act.asText())) {
            throw new UserError(what + ": " + file + " has activation_function " + act + "; curlab's GPT-2 computes only "
                    + String.join(" or ", new java.util.TreeSet<>(ACTIVATIONS)));
        }
        JsonNode tie = root.get("tie_word_embeddings");
        if (tie != null && !tie.isNull() && !(tie.isBoolean() && tie.booleanValue())) {
            throw new UserError(what + ": " + file + " has tie_word_embeddings " + tie + "; curlab's GPT-2 ties its output head to wte"
                    + " (tie_word_embeddings true)");
        }
        JsonNode inner = root.get("n_inner");
        JsonNode embd = root.get("n_embd");
        if (inner != null && !inner.isNull() && !(embd != null && inner.isInt() && inner.intValue() == 4 * embd.asInt())) {
            throw new UserError(what + ": " + file + " has n_inner " + inner + "; curlab's GPT-2 has an MLP of 4 x n_embd (n_inner null)");
        }
    }

    private static int positiveInt(JsonNode root, String key, Path file, String what) {
        JsonNode v = root.get(key);
        if (v == null || !v.isInt() || v.intValue() < 1) {
            throw new UserError(what + ": " + file + " needs a positive integer \"" + key + "\", got " + v);
        }
        return v.intValue();
    }

    /** The model of this shape with {@code context} positions (at most {@link #positions}). */
    public GptConfig toGptConfig(int context) {
        return new GptConfig("custom", layers, dModel, heads, context, vocab);
    }

    /** The config of a curlab model, for export. */
    public static HfGpt2Config of(GptConfig c, String tokenizer) {
        return new HfGpt2Config(c.layers(), c.dModel(), c.heads(), c.context(), c.vocab(), tokenizer);
    }

    /** Writes a standard GPT-2 config.json (transformers' GPT2Config keys) into {@code dir}. */
    public void write(Path dir, int endOfText) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", new String[] {"GPT2LMHeadModel"});
        m.put("model_type", "gpt2");
        m.put("activation_function", "gelu_new");
        m.put("n_layer", layers);
        m.put("n_embd", dModel);
        m.put("n_head", heads);
        m.put("n_inner", null);
        m.put("n_positions", positions);
        m.put("n_ctx", positions);
        m.put("vocab_size", vocab);
        m.put("layer_norm_epsilon", 1e-5);
        m.put("initializer_range", 0.02);
        m.put("attn_pdrop", 0.0);
        m.put("embd_pdrop", 0.0);
        m.put("resid_pdrop", 0.0);
        m.put("scale_attn_weights", true);
        m.put("tie_word_embeddings", true);
        m.put("bos_token_id", endOfText);
        m.put("eos_token_id", endOfText);
        m.put("torch_dtype", "float32");
        if (tokenizer != null) {
            m.put("curlab_tokenizer", tokenizer);
        }
        JSON.writeValue(dir.resolve(FILE).toFile(), m);
    }

    @Override
    public String toString() {
        return layers + " layers, d_model " + dModel + ", " + heads + " heads, vocab " + vocab + ", n_positions " + positions;
    }
}
