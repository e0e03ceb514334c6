package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.model.GptConfig;
import dev.curlab.model.hf.HfGpt2;
import dev.curlab.model.hf.HfGpt2Config;
import dev.curlab.run.CheckpointStore;
import dev.curlab.train.MemoryBudget;
import dev.curlab.train.MemoryEstimate;
import dev.curlab.train.MemoryEstimate.Part;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upper estimate of what an RL run needs, from its config and the policy's shape alone, and the
 * refusal (one line, before anything is read or written) when it cannot fit: the policy, its
 * gradients, AdamW's moments and the KL reference; the largest forward pass (B x G rollouts, the
 * held-out set, the N candidates' prompt pass) or the update on B x G sequences, each at the
 * policy's context; on the heap the problems (N candidates and the held-out set), the token arrays of
 * generation (every row sized prompt + --max-new), and a checkpoint's largest tensor in flight.
 * {@code CURLAB_MEMORY_CHECK=off} skips the check, as for pretraining.
 */
public final class RlMemory {
    static final double F = Float.BYTES;
    static final double PROBLEM_BYTES = 256;     // a Problem: its strings, params map and object headers (a short prompt)
    private static final ObjectMapper JSON = new ObjectMapper();

    private RlMemory() {
    }

    /** The parts of the estimate for {@code cfg} with a policy of {@code shape}. */
    public static List<Part> estimate(RlConfig cfg, GptConfig shape) {
        double p = shape.parameterCount();
        double t = shape.context();
        double rollouts = (double) cfg.batch() * cfg.group();
        double heldRows = Math.max(cfg.heldout(), cfg.passK() > 0 ? cfg.heldout() : 0);
        List<Part> out = new ArrayList<>();
        out.add(new Part("policy, gradients and AdamW moments", 4 * F * p, false));
        out.add(new Part("KL reference policy", cfg.klCoef() > 0 ? F * p : 0, false));
        double sampling = MemoryEstimate.pass(shape, rollouts, false, false);
        double evaluation = MemoryEstimate.pass(shape, heldRows, false, false);
        String curator = new StrategySpec("--curator", cfg.curator()).name();
        boolean readsPrompts = curator.equals("curator") || curator.equals("soft-q");  // a pass over the N candidates' prompts
        double prompts = readsPrompts ? MemoryEstimate.pass(shape, cfg.candidates(), false, false) : 0;
        double update = MemoryEstimate.training(shape, rollouts) * (cfg.klCoef() > 0 ? 1.5 : 1);
        double top = Math.max(Math.max(sampling, evaluation), Math.max(prompts, update));
        String name = top == update ? "GRPO update on -B x -G = " + count(rollouts) + " sequences"
                : top == sampling ? "rollout pass over -B x -G = " + count(rollouts) + " sequences"
                : top == evaluation ? "held-out pass over --heldout " + cfg.heldout() + " problems"
                : "prompt pass over -N " + cfg.candidates() + " candidates";
        out.add(new Part(name, top, false));
        out.add(new Part("problems (-N and --heldout)", PROBLEM_BYTES * ((double) cfg.candidates() + cfg.heldout()), true));
        double rowTokens = t + (double) cfg.maxNew();
        out.add(new Part("generation token arrays (rows x (prompt + --max-new " + cfg.maxNew() + "))",
                Math.max(rollouts, heldRows) * rowTokens * (Integer.BYTES + 8), true));
        out.add(new Part("checkpoint tensor in flight", MemoryEstimate.checkpointInFlight(shape), true));
        out.add(new Part("JVM heap base", MemoryEstimate.BASE_HEAP, true));
        out.add(new Part("JVM and PyTorch base", MemoryEstimate.BASE_NATIVE, false));
        return out;
    }

    /** Refuses {@code cfg} in one line when its estimate does not fit this process (shape unknown: no check). */
    public static void require(RlConfig cfg, GptConfig shape) {
        if (shape == null || "off".equalsIgnoreCase(System.getenv("CURLAB_MEMORY_CHECK"))) {
            return;
        }
        String problem = problem(estimate(cfg, shape), MemoryBudget.Limits.current());
        if (problem != null) {
            throw new UserError(problem);
        }
    }

    /** The one-line refusal, or null when the estimate fits {@code limits}. */
    static String problem(List<Part> parts, MemoryBudget.Limits limits) {
        double heap = 0;
        double total = 0;
        Part largest = parts.get(0);
        Part largestHeap = null;
        for (Part x : parts) {
            total += x.bytes();
            heap += x.heap() ? x.bytes() : 0;
            largest = x.bytes() > largest.bytes() ? x : largest;
            largestHeap = x.heap() && (largestHeap == null || x.bytes() > largestHeap.bytes()) ? x : largestHeap;
        }
        if (total > limits.physical()) {
            return "this RL run needs about " + bytes(total) + " of memory (estimated; largest part: " + largest.name() + " " + bytes(largest.bytes())
                    + "), but " + bytes(limits.physical()) + " is available (" + limits.described() + "); lower that part's options or use a smaller --model";
        }
        if (heap > limits.heap()) {
            return "this RL run needs about " + bytes(heap) + " of Java heap (estimated; largest part: " + largestHeap.name() + " "
                    + bytes(largestHeap.bytes()) + "), but the heap may only grow to " + bytes(limits.heap())
                    + " (raise it with CURLAB_JAVA_OPTS=-Xmx..., or lower that part's options)";
        }
        return null;
    }

    /**
     * The policy's shape as far as it can be read without loading it: a fresh --model preset, the
     * model recorded by a curlab run or checkpoint, or a Hugging Face config.json; null when it cannot
     * be read (the loader then says why).
     */
    public static GptConfig shapeOf(RlConfig cfg) {
        if (cfg.initFrom() == null) {
            return GptConfig.preset(cfg.model(), cfg.context(), new ByteTokenizer().vocabSize());
        }
        try {
            Path dir = Path.of(cfg.initFrom());
            Path state = dir.resolve("state.json");
            if (!Files.isRegularFile(state)) {
                List<Path> cks = new CheckpointStore(dir).list();
                state = cks.isEmpty() ? null : cks.get(0).resolve("state.json");
            }
            if (state != null && Files.isRegularFile(state)) {
                return shape(JSON.readValue(state.toFile(), Map.class).get("model"));
            }
            if (HfGpt2.isHfDirectory(dir)) {
                HfGpt2Config hf = HfGpt2Config.read(dir, "--init-from " + dir);
                return hf.toGptConfig(hf.positions());
            }
        } catch (java.io.IOException | RuntimeException e) {
            return null;                                                      // the loader reports an unreadable policy
        }
        return null;
    }

    /** A shape recorded as a map (RlCheckpoints, config.json's resolved model), or null. */
    public static GptConfig shape(Object recorded) {
        if (!(recorded instanceof Map<?, ?> m)) {
            return null;
        }
        try {
            return new GptConfig("custom", num(m, "layers"), num(m, "d_model"), num(m, "heads"), num(m, "context"), num(m, "vocab"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int num(Map<?, ?> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    private static String count(double n) {
        return String.format(Locale.ROOT, "%.0f", n);
    }

    static String bytes(double b) {
        return b >= 1e12 ? String.format(Locale.ROOT, "%.1f TB", b / 1e12)
                : b >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", b / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", b / 1e6);
    }
}
