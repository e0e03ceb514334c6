package dev.curlab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.eval.Flops;
import dev.curlab.eval.PassCost;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run read back from its directory (config.json and metrics.jsonl alone), with its training
 * compute accumulated step by step (see {@link Flops}).
 *
 * @param dir             the run directory
 * @param selector        config.selector
 * @param seed            config.seed
 * @param steps           the steps the run was configured for: config.steps, or with a compute budget the
 *                        steps it affords (resolved.budget_steps)
 * @param candidates      config.candidates (N)
 * @param context         T, tokens per window
 * @param perToken        C_forward of the LM per token
 * @param metrics         the metrics lines
 * @param cumulative      training compute after step i + 1, for i indexing {@code metrics.steps()}
 * @param evalFlops       compute spent on evaluation passes (not training)
 * @param reward          the reward kind, resolved.reward ("absolute" or "paired-delta"; config.reward for older runs)
 * @param budgetFlops     config.budgetFlops, the run's training compute budget (0 = none)
 */
public record RunData(Path dir, String selector, long seed, long steps, int candidates, int context, double perToken,
        MetricsFile metrics, Flops.Breakdown[] cumulative, double evalFlops, String reward, double budgetFlops) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** True when {@code dir} holds a run (a config.json and a metrics.jsonl). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve("metrics.jsonl"));
    }

    @SuppressWarnings("unchecked")
    public static RunData load(Path dir) {
        if (!isRun(dir)) {
            throw new UserError(dir + ": not a curlab run (config.json and metrics.jsonl expected)");
        }
        Map<String, Object> root;
        try {
            root = JSON.readValue(dir.resolve("config.json").toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError(dir.resolve("config.json") + ": unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
        Map<String, Object> cfg = section(root, "config", dir);
        Map<String, Object> resolved = section(root, "resolved", dir);
        Map<String, Object> shape = section(resolved, "model", dir);
        int layers = integer(shape, "layers", dir);
        int dModel = integer(shape, "d_model", dir);
        int context = integer(cfg, "context", dir);
        // Runs that do not record their vocabulary are costed without the output head.
        int vocab = shape.get("vocab") instanceof Number v ? v.intValue() : 0;
        double perToken = Flops.forwardPerToken(layers, dModel, context, vocab);
        double ilPerToken = perToken;                 // an IL model of the LM's shape unless config.json says otherwise
        if (resolved.get("il_model") instanceof Map<?, ?> il) {
            Map<String, Object> m = (Map<String, Object>) il;
            ilPerToken = Flops.forwardPerToken(integer(m, "layers", dir), integer(m, "d_model", dir), integer(m, "context", dir), vocab);
        }
        MetricsFile metrics = MetricsFile.read(dir.resolve("metrics.jsonl"));
        int m = integer(cfg, "heldoutBatch", dir);
        String reward = String.valueOf(resolved.getOrDefault("reward", cfg.get("reward"))); // "auto" is resolved
        boolean paired = "paired-delta".equals(reward);
        Flops.Breakdown[] cumulative = accumulate(metrics.steps(), perToken, context, m, paired, ilPerToken,
                Flops.headPerToken(dModel, vocab));
        double evalFlops = metrics.evals().size() * Flops.evaluation(perToken, context, integer(cfg, "evalWindows", dir));
        long steps = resolved.get("budget_steps") instanceof Number b ? b.longValue() : longValue(cfg, "steps", dir);
        double budget = cfg.get("budgetFlops") instanceof Number b ? b.doubleValue() : 0;
        return new RunData(dir, String.valueOf(cfg.get("selector")), longValue(cfg, "seed", dir), steps,
                integer(cfg, "candidates", dir), context, perToken, metrics, cumulative, evalFlops, reward, budget);
    }

    /**
     * Training compute after each step line: the scoring and reward passes the step logs it ran
     * ({@code scoring_forward_tokens}, {@code reward_forward_tokens}; runs written before those fields
     * existed scored every candidate and measured the reward every step, and are charged so), the update
     * from the growth of examples_trained, plus what a step logs beyond that: a scoring pass without the
     * output head ({@code scoring_trunk_tokens}), the head alignment's extra head products
     * ({@code alignment_head_tokens}) and a held-out pass run only for it ({@code alignment_forward_tokens}),
     * and the candidates' head gradients with their Gram matrix ({@code gram_head_tokens}), charged to scoring.
     */
    static Flops.Breakdown[] accumulate(List<Map<String, Object>> steps, double perToken, int context, int heldoutBatch,
            boolean paired, double ilPerToken, double headPerToken) {
        Flops.Breakdown[] out = new Flops.Breakdown[steps.size()];
        Flops.Breakdown sum = Flops.Breakdown.ZERO;
        PassCost lm = new PassCost(perToken, headPerToken);
        long seen = 0;
        long trained = 0;
        for (int i = 0; i < out.length; i++) {
            Map<String, Object> s = steps.get(i);
            long seenNow = number(s, "candidates_seen");
            long trainedNow = number(s, "examples_trained");
            if (s.containsKey("scoring_forward_tokens")) {                 // the passes the step ran, as logged
                sum = sum.plus(Flops.passes(perToken, number(s, "scoring_forward_tokens"), (trainedNow - trained) * context,
                        number(s, "reward_forward_tokens"), ilPerToken, number(s, "il_forward_tokens"), number(s, "il_train_tokens")));
            } else {                                                           // older runs scored and rewarded every step
                sum = sum.plus(Flops.step(perToken, context, seenNow - seen, trainedNow - trained, heldoutBatch, paired,
                        ilPerToken, number(s, "il_forward_tokens"), number(s, "il_train_tokens")));
            }
            double alignment = lm.head(number(s, "alignment_head_tokens") + number(s, "gram_head_tokens"))
                    + lm.forward(number(s, "alignment_forward_tokens"));
            double trunk = lm.trunk(number(s, "scoring_trunk_tokens"));                      // hidden states without the head
            sum = sum.plus(new Flops.Breakdown(alignment + trunk, 0, 0, 0));
            seen = seenNow;
            trained = trainedNow;
            out[i] = sum;
        }
        return out;
    }

    /** Training compute when the eval lines were written (0 at step 0). */
    public double[] evalTrainFlops() {
        double[] out = new double[metrics.evals().size()];
        for (int i = 0; i < out.length; i++) {
            long step = number(metrics.evals().get(i), "step");
            out[i] = at(step).total();
        }
        return out;
    }

    /** Training compute after {@code step} steps. */
    public Flops.Breakdown at(long step) {
        for (int i = cumulative.length - 1; i >= 0; i--) {
            if (number(metrics.steps().get(i), "step") <= step) {
                return cumulative[i];
            }
        }
        return Flops.Breakdown.ZERO;
    }

    public Flops.Breakdown trainFlops() {
        return cumulative.length == 0 ? Flops.Breakdown.ZERO : cumulative[cumulative.length - 1];
    }

    public double[] evalSteps() {
        return MetricsFile.column(metrics.evals(), "step");
    }

    public double[] evalExamples() {
        return MetricsFile.column(metrics.evals(), "examples_trained");
    }

    public double[] evalLoss() {
        return MetricsFile.column(metrics.evals(), "eval_loss");
    }

    public double finalEvalLoss() {
        double[] l = evalLoss();
        return l.length == 0 ? Double.NaN : l[l.length - 1];
    }

    /** The final eval line for the configured steps is present. */
    public boolean finished() {
        double[] s = evalSteps();
        return s.length > 0 && s[s.length - 1] == steps;
    }

    public long candidatesScanned() {
        List<Map<String, Object>> s = metrics.steps();
        return s.isEmpty() ? 0 : number(s.get(s.size() - 1), "candidates_seen");
    }

    /** Wall-clock of the training steps: the sum of step_ms, in seconds. */
    public double wallSeconds() {
        double ms = 0;
        for (double v : MetricsFile.column(metrics.steps(), "step_ms")) {
            if (Double.isFinite(v)) {
                ms += v;
            }
        }
        return ms / 1000;
    }

    /** True when any step line carries {@code field}. */
    public boolean has(String field) {
        for (Map<String, Object> s : metrics.steps()) {
            if (s.containsKey(field)) {
                return true;
            }
        }
        return false;
    }

    private static long number(Map<String, Object> line, String field) {
        return line.get(field) instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> m, String key, Path dir) {
        if (m.get(key) instanceof Map<?, ?> s) {
            return (Map<String, Object>) s;
        }
        throw new UserError(dir.resolve("config.json") + ": no '" + key + "' section");
    }

    private static int integer(Map<String, Object> m, String key, Path dir) {
        return (int) longValue(m, key, dir);
    }

    private static long longValue(Map<String, Object> m, String key, Path dir) {
        if (m.get(key) instanceof Number n) {
            return n.longValue();
        }
        throw new UserError(dir.resolve("config.json") + ": field '" + key + "' missing or not a number");
    }
}
