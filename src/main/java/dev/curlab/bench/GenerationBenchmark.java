package dev.curlab.bench;

import ai.djl.ndarray.NDManager;
import dev.curlab.model.Gpt2Model;
import dev.curlab.rl.Sampler;
import dev.curlab.util.Rng;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated tokens per second of the two decoders on the same prompts at the same seed: the naive one
 * (every prefix recomputed at each token) and the key/value cache. Each path runs once unmeasured,
 * then {@code reps} times (fewer once a path has spent {@code budgetSeconds}, at least once),
 * alternating, so both see the same machine; the median run gives the rate. The token ids of the two
 * paths are compared at every measured seed.
 */
public final class GenerationBenchmark {
    private GenerationBenchmark() {
    }

    /**
     * One measured shape.
     *
     * @param label       what was measured (a preset name, or the policy's)
     * @param rows        completions generated per run (prompts x group)
     * @param maxNew      most tokens per completion
     * @param tokens      completion tokens per run (median run)
     * @param naiveMs     median wall time of one naive run
     * @param cachedMs    median wall time of one cached run
     * @param reps        measured runs of each path (the naive path's count when they differ)
     * @param sameTokens  whether both paths gave the same token ids at every measured seed
     */
    public record Row(String label, int rows, int maxNew, double tokens, double naiveMs, double cachedMs, int reps, boolean sameTokens) {
        public double naiveTokensPerSecond() {
            return tokens / (naiveMs / 1000.0);
        }

        public double cachedTokensPerSecond() {
            return tokens / (cachedMs / 1000.0);
        }

        public double speedup() {
            return naiveMs / cachedMs;
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", label);
            m.put("rows", rows);
            m.put("max_new", maxNew);
            m.put("tokens_per_run", tokens);
            m.put("naive_ms", naiveMs);
            m.put("cached_ms", cachedMs);
            m.put("naive_tokens_per_second", naiveTokensPerSecond());
            m.put("cached_tokens_per_second", cachedTokensPerSecond());
            m.put("speedup", speedup());
            m.put("reps", reps);
            m.put("same_tokens", sameTokens);
            return m;
        }
    }

    public static Row measure(String label, Gpt2Model model, Sampler sampler, List<int[]> prompts, int maxNew, double temperature,
            int reps, double budgetSeconds) {
        run(model, sampler, prompts, maxNew, temperature, 0, true);                        // warm-up, not measured
        run(model, sampler, prompts, maxNew, temperature, 0, false);
        double[] naive = new double[reps];
        double[] cached = new double[reps];
        double[] tokens = new double[reps];
        boolean same = true;
        double spent = 0;
        int n = 0;
        while (n < reps && (n == 0 || spent < budgetSeconds)) {
            Run a = run(model, sampler, prompts, maxNew, temperature, n + 1, true);
            Run b = run(model, sampler, prompts, maxNew, temperature, n + 1, false);
            naive[n] = a.ms;
            cached[n] = b.ms;
            tokens[n] = b.tokens;
            same &= Arrays.deepEquals(a.ids, b.ids);
            spent += (a.ms + b.ms) / 1000.0;
            n++;
        }
        return new Row(label, prompts.size(), maxNew, median(Arrays.copyOf(tokens, n)), median(Arrays.copyOf(naive, n)),
                median(Arrays.copyOf(cached, n)), n, same);
    }

    private record Run(double ms, long tokens, int[][] ids) {
    }

    private static Run run(Gpt2Model model, Sampler sampler, List<int[]> prompts, int maxNew, double temperature, long seed, boolean naive) {
        try (NDManager m = model.manager().newSubManager()) {
            Rng rng = new Rng(seed);
            long t0 = System.nanoTime();
            Sampler.Result r = naive ? sampler.generateNaive(m, prompts, maxNew, temperature, rng)
                    : sampler.generate(m, prompts, maxNew, temperature, rng);
            double ms = (System.nanoTime() - t0) / 1e6;
            int[][] ids = r.completions().stream().map(Sampler.Completion::tokens).toArray(int[][]::new);
            long tokens = Arrays.stream(ids).mapToLong(x -> x.length).sum();
            return new Run(ms, tokens, ids);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
