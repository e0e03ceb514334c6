package dev.curlab.model.hf;

import ai.djl.ndarray.NDArray;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * GPT-2 checkpoints in the Hugging Face layout: {@code config.json} plus {@code model.safetensors}
 * with the names curlab uses ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, ...; weights
 * stored (in, out) as in HF's Conv1D). Loading accepts a {@code transformer.} prefix, ignores the
 * {@code attn.bias}/{@code attn.masked_bias} buffers and the tied {@code lm_head.weight}, converts
 * F16/BF16 to fp32 and validates every name and shape before a single value is copied.
 */
public final class HfGpt2 {
    public static final String WEIGHTS = "model.safetensors";
    private static final String PREFIX = "transformer.";
    private static final Pattern IGNORED = Pattern.compile("lm_head\\.weight|h\\.\\d+\\.attn\\.(bias|masked_bias)");

    private HfGpt2() {
    }

    /** True when {@code dir} looks like an HF GPT-2 directory (config.json and model.safetensors). */
    public static boolean isHfDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(HfGpt2Config.FILE)) && Files.isRegularFile(dir.resolve(WEIGHTS));
    }

    /** A model of the checkpoint's full shape (context = n_positions) with its weights. */
    public static Gpt2Model open(Path dir, String what) {
        HfGpt2Config cfg = HfGpt2Config.read(dir, what);
        Gpt2Model model = new Gpt2Model(cfg.toGptConfig(cfg.positions()), 0);
        try {
            load(dir, model, what);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Copies the checkpoint in {@code dir} into {@code model}. The checkpoint must have the model's
     * layers, width, heads and vocabulary, and at least its context (wpe's first T rows are used).
     */
    public static HfGpt2Config load(Path dir, Gpt2Model model, String what) {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            String curlab = Files.isDirectory(dir.resolve("checkpoints")) || Files.isRegularFile(dir.resolve("state.json"))
                    ? "; this is a curlab run or checkpoint: convert it with curlab export --checkpoint " + dir + " --to hf OUT" : "";
            throw new UserError(what + ": no " + WEIGHTS + " in " + dir + " (expected a Hugging Face GPT-2 directory)" + curlab);
        }
        HfGpt2Config cfg = HfGpt2Config.read(dir, what);
        checkShape(cfg, model.config(), what);
        GptConfig full = cfg.toGptConfig(cfg.positions());
        try (SafeTensors st = SafeTensors.open(file)) {
            Map<String, SafeTensors.Entry> byName = mapNames(st, what);
            Map<String, long[]> expected = expectedShapes(full);
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                SafeTensors.Entry t = byName.get(e.getKey());
                if (t == null) {
                    throw new UserError(what + ": " + file + " has no tensor " + e.getKey());
                }
                if (!Arrays.equals(t.shape(), e.getValue())) {
                    throw new UserError(what + ": tensor " + t.name() + " in " + file + " has shape " + t.shapeString()
                            + ", expected " + shape(e.getValue()) + " from " + HfGpt2Config.FILE + " (" + cfg + ")");
                }
            }
            for (SafeTensors.Entry t : byName.values()) {
                String name = t.name().startsWith(PREFIX) ? t.name().substring(PREFIX.length()) : t.name();
                if (!expected.containsKey(name)) {
                    throw new UserError(what + ": " + file + " has an unexpected tensor " + t.name() + " " + t.shapeString()
                            + " (not part of a GPT-2 with " + cfg + ")");
                }
                if (!SafeTensors.readable(t.dtype())) {
                    throw new UserError(what + ": tensor " + t.name() + " in " + file + " has dtype " + t.dtype()
                            + " (expected F32, F16, BF16 or F64)");
                }
            }
            for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                float[] values = st.floats(byName.get(p.getKey()).name());
                long size = p.getValue().getShape().size();
                if (values.length != size) { // wpe: the run's context is a prefix of n_positions
                    values = Arrays.copyOf(values, (int) size);
                }
                dev.curlab.model.Assign.values(p.getValue(), values);
            }
        }
        return cfg;
    }

    /** The checkpoint's config must match the model it is loaded into. */
    private static void checkShape(HfGpt2Config c, GptConfig m, String what) {
        boolean same = c.layers() == m.layers() && c.dModel() == m.dModel() && c.heads() == m.heads() && c.vocab() == m.vocab();
        if (!same) {
            throw new UserError(what + ": the checkpoint has " + c.layers() + " layers, d_model " + c.dModel() + ", "
                    + c.heads() + " heads, vocab " + c.vocab() + " but the model has " + m.layers() + " layers, d_model "
                    + m.dModel() + ", " + m.heads() + " heads, vocab " + m.vocab() + hint(c, m));
        }
        if (c.positions() < m.context()) {
            throw new UserError(what + ": the checkpoint supports " + c.positions() + " positions (n_positions) but the model's context is "
                    + m.context() + "; use --context " + c.positions() + " or less");
        }
    }

    private static String hint(HfGpt2Config c, GptConfig m) {
        for (String p : GptConfig.PRESETS) {
            GptConfig g = GptConfig.preset(p, m.context(), m.vocab());
            if (g.layers() == c.layers() && g.dModel() == c.dModel() && g.heads() == c.heads()) {
                return c.vocab() == m.vocab() ? "; use --model " + p : "; use --model " + p + " and a tokenizer with " + c.vocab() + " ids";
            }
        }
        return c.vocab() != m.vocab() ? " (choose the tokenizer the checkpoint was trained with)" : " (no --model preset has this shape)";
    }

    /** Header entries by curlab name: prefix stripped, buffers and the tied head dropped, unknown names refused. */
    private static Map<String, SafeTensors.Entry> mapNames(SafeTensors st, String what) {
        Map<String, SafeTensors.Entry> out = new LinkedHashMap<>();
        for (SafeTensors.Entry e : st.entries().values()) {
            String name = e.name().startsWith(PREFIX) ? e.name().substring(PREFIX.length()) : e.name();
            if (IGNORED.matcher(name).matches()) {
                continue;
            }
            if (out.put(name, e) != null) {
                throw new UserError(what + ": " + st.file() + " holds tensor " + name + " twice (with and without the "
                        + PREFIX + " prefix)");
            }
        }
        return out;
    }

    /** Every tensor of a GPT-2 of shape {@code c}, by HF name, with its (in, out) shape; unknown names are refused. */
    private static Map<String, long[]> expectedShapes(GptConfig c) {
        long d = c.dModel();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("wte.weight", new long[] {c.vocab(), d});
        s.put("wpe.weight", new long[] {c.context(), d});
        for (int i = 0; i < c.layers(); i++) {
            String h = "h." + i + ".";
            s.put(h + "ln_1.weight", new long[] {d});
            s.put(h + "ln_1.bias", new long[] {d});
            s.put(h + "attn.c_attn.weight", new long[] {d, 3 * d});
            s.put(h + "attn.c_attn.bias", new long[] {3 * d});
            s.put(h + "attn.c_proj.weight", new long[] {d, d});
            s.put(h + "attn.c_proj.bias", new long[] {d});
            s.put(h + "ln_2.weight", new long[] {d});
            s.put(h + "ln_2.bias", new long[] {d});
            s.put(h + "mlp.c_fc.weight", new long[] {d, 4 * d});
            s.put(h + "mlp.c_fc.bias", new long[] {4 * d});
            s.put(h + "mlp.c_proj.weight", new long[] {4 * d, d});
            s.put(h + "mlp.c_proj.bias", new long[] {d});
        }
        s.put("ln_f.weight", new long[] {d});
        s.put("ln_f.bias", new long[] {d});
        return s;
    }

    private static String shape(long[] s) {
        return Arrays.toString(s).replace('[', '(').replace(']', ')');
    }

    /** Writes {@code model} as {@code out/config.json} + {@code out/model.safetensors} (F32, HF names, no prefix). */
    public static void export(Gpt2Model model, String tokenizer, int endOfText, Path out) {
        try {
            Files.createDirectories(out);
            Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                tensors.put(p.getKey(), new SafeTensors.Tensor(p.getValue().getShape().getShape(), p.getValue().toFloatArray()));
            }
            SafeTensors.write(out.resolve(WEIGHTS), tensors);
            HfGpt2Config.of(model.config(), tokenizer).write(out, endOfText);
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
    }
}
