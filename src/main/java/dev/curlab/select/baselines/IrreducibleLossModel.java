package dev.curlab.select.baselines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.curlab.data.Window;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import dev.curlab.optim.AdamW;
import dev.curlab.optim.GradientStep;
import dev.curlab.select.SelectorContext;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The irreducible-loss (IL) model of RHO-LOSS (Mindermann et al. 2022): a GPT-2 of the run's shape
 * (or of the preset --il-model names, at the run's context and vocabulary) trained with AdamW on a split of the held-out reward pool only (its first half; never the
 * evaluation set), then frozen. Its parameters are cached as safetensors under a key hashed from the
 * split's tokens, the model shape, the seed and the training options, so a second run reuses it.
 */
public final class IrreducibleLossModel implements AutoCloseable {
    private static final String FORMAT = "curlab-il-v1";

    /** How to train the IL model. */
    record Training(int steps, int batch, double lr, double clip, double weightDecay, int microbatch) {
    }

    private final Gpt2Model model;
    private final WindowScorer scorer;
    private final List<Window> split;
    private final TreeSet<Integer> used = new TreeSet<>();   // split indices trained on (none when cached)
    private final Path file;
    private final boolean cached;
    private final long trainTokens;

    IrreducibleLossModel(GptConfig shape, List<Window> rewardPool, long seed, Training t, Path cacheDir) {
        this.split = trainingSplit(rewardPool);
        this.model = new Gpt2Model(shape, Rng.derive(seed, "selector/rho-loss/il-init").nextLong());
        this.scorer = new WindowScorer(model);
        this.trainTokens = (long) t.steps() * t.batch() * shape.context();
        this.file = cacheDir.resolve(cacheKey(shape, split, seed, t) + ".safetensors");
        this.cached = Files.isRegularFile(file) && load();
        if (!cached) {
            train(seed, t);
            save();
        }
    }

    /**
     * The IL model of a run: the run's model shape and held-out reward pool, trained with the run's
     * optimiser settings for --il-steps steps of --il-batch windows, cached under --il-cache.
     */
    public static IrreducibleLossModel of(SelectorContext c) {
        BaselineConfig b = c.settings().baselines();
        Training t = new Training(b.ilSteps(), b.ilBatch(), number(c.train(), "lr", 1e-3), number(c.train(), "clip", 1.0),
                number(c.train(), "weight_decay", 0.01), (int) number(c.train(), "microbatch", 8));
        return new IrreducibleLossModel(shape(c.model(), b.ilModel()), c.heldout(), c.seed(), t, Path.of(b.ilCache()));
    }

    /** The IL model's shape: the preset {@code preset} at the run's context and vocabulary ("" = the run's shape). */
    public static GptConfig shape(GptConfig run, String preset) {
        return preset == null || preset.isEmpty() ? run : GptConfig.preset(preset, run.context(), run.vocab());
    }

    /** The IL model's shape. */
    public GptConfig shape() {
        return model.config();
    }

    private static double number(Map<String, Object> values, String key, double fallback) {
        return values != null && values.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    /** The windows the IL model may train on: the first half of the reward pool D (at least one). */
    static List<Window> trainingSplit(List<Window> rewardPool) {
        if (rewardPool.size() < 2) {
            throw new UserError("the irreducible-loss model (rho-loss; soft-q --q-prior reducible) trains on half of the held-out reward pool,"
                    + " which has " + rewardPool.size() + " window(s); raise --heldout-windows to at least 2");
        }
        return List.copyOf(rewardPool.subList(0, rewardPool.size() / 2));
    }

    /** Per-window mean next-token loss under the frozen IL model (no graph is built). */
    public float[] loss(List<int[]> windows) {
        try (NDManager step = model.manager().newSubManager()) {
            return scorer.score(step, windows, false, false).loss();
        }
    }

    private void train(long seed, Training t) {
        try (NDManager moments = model.manager().newSubManager()) {   // AdamW state, freed after training
            train(seed, t, new AdamW(moments, 0.9, 0.95, 1e-8, t.weightDecay()));
        }
    }

    private void train(long seed, Training t, AdamW adamw) {
        adamw.prepare(model.parameters());
        GradientStep update = new GradientStep(scorer, adamw, t.clip(), t.microbatch());
        Rng rng = Rng.derive(seed, "selector/rho-loss/il-data");
        float[] weights = new float[t.batch()];
        Arrays.fill(weights, 1f / t.batch());
        for (int s = 0; s < t.steps(); s++) {
            List<int[]> windows = new ArrayList<>(t.batch());
            for (int b = 0; b < t.batch(); b++) {
                int i = rng.nextInt(split.size());
                used.add(i);
                windows.add(split.get(i).tokens());
            }
            try (NDManager step = model.manager().newSubManager()) {
                GradientStep.Result r = update.backward(step, windows, weights);
                update.apply(t.lr(), r.gradNorm());
            }
        }
    }

    private boolean load() {
        try (NDManager tmp = model.manager().newSubManager()) {
            NDList list = NDList.decode(tmp, new ByteArrayInputStream(Files.readAllBytes(file)));
            Map<String, NDArray> params = model.parameters();
            if (list.size() != params.size()) {
                return false;
            }
            for (NDArray a : list) {
                NDArray p = params.get(a.getName());
                if (p == null || !p.getShape().equals(a.getShape())) {
                    return false;                                    // another layout: retrain
                }
            }
            for (NDArray a : list) {
                dev.curlab.model.Assign.from(params.get(a.getName()), a);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;                                            // unreadable cache entry: retrain
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            NDList list = new NDList();
            model.parameters().forEach((name, a) -> {
                a.setName(name);
                list.add(a);
            });
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, list.encode(NDList.Encoding.SAFETENSORS));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError("--il-cache " + file.getParent() + ": cannot write the irreducible-loss model ("
                    + e.getMessage() + ")");
        }
    }

    /** SHA-256 of the training split's tokens, the model shape, the seed and the IL training options. */
    static String cacheKey(GptConfig shape, List<Window> split, long seed, Training t) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String head = FORMAT + "|layers=" + shape.layers() + "|d=" + shape.dModel() + "|heads=" + shape.heads()
                    + "|context=" + shape.context() + "|vocab=" + shape.vocab() + "|seed=" + seed + "|" + t;
            sha.update(head.getBytes(StandardCharsets.UTF_8));
            ByteBuffer buf = ByteBuffer.allocate(4);
            for (Window w : split) {
                for (int token : w.tokens()) {
                    sha.update(buf.clear().putInt(token).array());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The split windows the IL model was trained on in this process (empty when it was loaded). */
    List<Window> trainedOn() {
        List<Window> out = new ArrayList<>(used.size());
        used.forEach(i -> out.add(split.get(i)));
        return out;
    }

    List<Window> split() {
        return split;
    }

    public boolean cached() {
        return cached;
    }

    public long trainTokens() {
        return trainTokens;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        model.close();
    }
}
