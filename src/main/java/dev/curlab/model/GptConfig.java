package dev.curlab.model;

import dev.curlab.util.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape of a GPT-2-style model.
 *
 * @param preset  name of the preset it came from ("custom" otherwise)
 * @param layers  number of transformer blocks (n_layer)
 * @param dModel  width of the residual stream (n_embd)
 * @param heads   attention heads per block (n_head); must divide dModel
 * @param context maximum sequence length (n_positions)
 * @param vocab   vocabulary size (vocab_size)
 */
public record GptConfig(String preset, int layers, int dModel, int heads, int context, int vocab) {

    /** Preset names in the order {@code --help} lists them. */
    public static final List<String> PRESETS = List.of("pico", "nano", "micro", "mini", "gpt2");

    public GptConfig {
        if (layers < 1) {
            throw new UserError("model: layers must be >= 1, got " + layers);
        }
        if (dModel < 1 || heads < 1 || dModel % heads != 0) {
            throw new UserError("model: d_model (" + dModel + ") must be a positive multiple of heads (" + heads + ")");
        }
        if (context < 2) {
            throw new UserError("--context must be >= 2, got " + context);
        }
        if (vocab < 2) {
            throw new UserError("model: vocabulary size must be >= 2, got " + vocab);
        }
    }

    /** A named preset with the given context length and vocabulary. */
    public static GptConfig preset(String name, int context, int vocab) {
        return switch (name) {
            case "pico" -> new GptConfig(name, 1, 32, 2, context, vocab);
            case "nano" -> new GptConfig(name, 2, 64, 2, context, vocab);
            case "micro" -> new GptConfig(name, 4, 128, 4, context, vocab);
            case "mini" -> new GptConfig(name, 6, 256, 8, context, vocab);
            case "gpt2" -> new GptConfig(name, 12, 768, 12, context, vocab);
            default -> throw new UserError("--model: unknown model '" + name + "' (expected one of " + String.join(", ", PRESETS) + ")");
        };
    }

    public int headDim() {
        return dModel / heads;
    }

    /** Number of trainable parameters (the output head is tied to wte and not counted twice). */
    public long parameterCount() {
        long d = dModel;
        long perBlock = 2 * (2 * d) // ln_1, ln_2
                + d * 3 * d + 3 * d // c_attn
                + d * d + d // attn.c_proj
                + d * 4 * d + 4 * d // c_fc
                + 4 * d * d + d; // mlp.c_proj
        return (long) vocab * d + (long) context * d + layers * perBlock + 2 * d;
    }

    /** The shape a checkpoint records and a resume checks (layers, d_model, heads, context, vocab). */
    public Map<String, Object> shapeMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("d_model", dModel);
        m.put("heads", heads);
        m.put("context", context);
        m.put("vocab", vocab);
        return m;
    }
}
