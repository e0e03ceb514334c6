package dev.curlab.interop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.hf.HfGpt2;
import dev.curlab.model.hf.HfGpt2Config;
import dev.curlab.run.CheckpointStore;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Any model directory to a model: a curlab run (its newest intact checkpoint), a curlab checkpoint
 * directory ({@code step-NNNNNNNN/} with {@code state.json}) or a Hugging Face GPT-2 directory
 * ({@code config.json} + {@code model.safetensors}).
 */
public final class ModelCheckpoints {
    private ModelCheckpoints() {
    }

    /**
     * A model read from a directory.
     *
     * @param model     the model, at the checkpoint's full context; the caller closes it
     * @param tokenizer the tokenizer recorded with it, or null when the directory does not say
     * @param source    the directory the weights came from (the checkpoint itself for a run)
     * @param kind      "curlab" or "hf"
     */
    public record Loaded(Gpt2Model model, String tokenizer, Path source, String kind) {
    }

    /** Reads the model in {@code dir}; {@code what} names the option in messages, {@code warn} hears of damaged checkpoints. */
    public static Loaded open(Path dir, String what, Consumer<String> warn) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(what + " " + dir + ": no such directory");
        }
        if (Files.isRegularFile(dir.resolve("state.json"))) {
            return fromCurlab(dir, what);
        }
        CheckpointStore store = new CheckpointStore(dir);
        if (Files.isDirectory(store.root())) {
            List<Path> all = store.list();
            for (Path ck : all) {
                try {
                    return fromCurlab(ck, what);
                } catch (UserError e) {
                    warn.accept(e.getMessage() + "; trying an older checkpoint");
                }
            }
            throw new UserError(what + " " + dir + ": the run has no intact checkpoint");
        }
        if (HfGpt2.isHfDirectory(dir)) {
            HfGpt2Config cfg = HfGpt2Config.read(dir, what + " " + dir);
            return new Loaded(HfGpt2.open(dir, what + " " + dir), cfg.tokenizer(), dir, "hf");
        }
        throw new UserError(what + " " + dir + ": not a curlab run, a curlab checkpoint or a Hugging Face GPT-2 directory"
                + " (expected checkpoints/, state.json, or config.json with model.safetensors)");
    }

    @SuppressWarnings("unchecked")
    private static Loaded fromCurlab(Path dir, String what) {
        try (NDManager tmp = NDManager.newBaseManager()) {
            CheckpointStore.Loaded ck = CheckpointStore.load(dir, tmp);
            Object shape = ck.state().get("model");
            if (!(shape instanceof Map<?, ?> m)) {
                throw new UserError(what + " " + dir + ": state.json records no model shape");
            }
            Map<String, Object> s = (Map<String, Object>) m;
            GptConfig cfg = new GptConfig("custom", intOf(s, "layers", dir, what), intOf(s, "d_model", dir, what),
                    intOf(s, "heads", dir, what), intOf(s, "context", dir, what), intOf(s, "vocab", dir, what));
            Map<String, NDArray> saved = ck.tensors().getOrDefault("model", Map.of());
            Gpt2Model model = new Gpt2Model(cfg, 0);
            for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
                NDArray a = saved.get(p.getKey());
                if (a == null || !a.getShape().equals(p.getValue().getShape())) {
                    model.close();
                    throw new UserError(what + " " + dir + ": parameter " + p.getKey() + " is missing or has shape "
                            + (a == null ? "none" : a.getShape()) + ", expected " + p.getValue().getShape());
                }
                dev.curlab.model.Assign.from(p.getValue(), a);
            }
            Object tok = ck.state().get("tokenizer");
            return new Loaded(model, tok instanceof String t ? t : null, dir, "curlab");
        }
    }

    private static int intOf(Map<String, Object> m, String key, Path dir, String what) {
        if (!(m.get(key) instanceof Number n)) {
            throw new UserError(what + " " + dir + ": state.json's model shape lacks " + key);
        }
        return n.intValue();
    }
}
