package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.bench.GemmCeiling;
import dev.curlab.bench.PhaseStats;
import dev.curlab.bench.StepBenchmark;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.baselines.BaselineConfig;
import dev.curlab.select.softq.SoftQConfig;
import dev.curlab.train.MemoryBudget;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.Directories;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab bench}: the engine's GEMM ceiling, then a real training run's per-phase wall time,
 * FLOPs and achieved rate against that ceiling, the selector's overhead and resident memory; with
 * {@code --scaling}, the step time as N = M vary; with {@code --rl}, an RL run's generated tokens per
 * second and the rates of its sampling and policy update instead.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure step time per phase against the machine's GEMM ceiling.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--il-steps", paramLabel = "K", defaultValue = "20", description = "Steps that train the irreducible-loss model (rho-loss, soft-q's "
            + "prior) before the measured run; its quality does not change a step's cost, and it is not timed (default: ${DEFAULT-VALUE}; runs use 300).")
    int ilSteps;

    @Option(names = "--il-model", paramLabel = "PRESET", defaultValue = "", description = "Preset of the irreducible-loss model "
            + "(rho-loss, soft-q's prior), e.g. pico (default: the run's --model).")
    String ilModel;

    @Option(names = "--score-tokens", paramLabel = "P", defaultValue = "0", description = "Score candidates on their first P tokens "
            + "(default: ${DEFAULT-VALUE} = whole windows).")
    int scoreTokens;

    @Option(names = "--model", paramLabel = "PRESET", defaultValue = "mini", description = "Model preset (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--context", paramLabel = "T", defaultValue = "128", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--tokenizer", paramLabel = "NAME", defaultValue = "gpt2", description = "Vocabulary: gpt2 (50,257 ids) or bytes (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = {"--candidates", "-N"}, paramLabel = "N", defaultValue = "32", description = "Candidates per step (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = {"--heldout-batch", "-M"}, paramLabel = "M", defaultValue = "32", description = "Held-out windows per reward (default: ${DEFAULT-VALUE}).")
    int heldoutBatch;

    @Option(names = "--selector", paramLabel = "NAME", defaultValue = "soft-q", description = "Selector (default: ${DEFAULT-VALUE}).")
    String selector;

    @Option(names = "--reward", paramLabel = "KIND", defaultValue = "auto", description = "auto, absolute or paired-delta (default: ${DEFAULT-VALUE}).")
    String reward;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "20", description = "Measured steps after the warm-up (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", paramLabel = "K", defaultValue = "3", description = "Warm-up steps left out of the statistics (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--gemm-size", paramLabel = "SIZE", defaultValue = "2048", description = "Matrix size of the GEMM ceiling (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--scaling", split = ",", paramLabel = "V", description = "Also run N = M = V for each value, e.g. 8,16,32,64.")
    List<Integer> scaling = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--rl", description = "Benchmark an RL run instead (the demo's arena: uniform curator, N=64, B=8, G=8, "
            + "6 new tokens): generated tokens per second, sampling and update rates against the ceiling.")
    boolean rl;

    @Option(names = "--init-from", paramLabel = "DIR", description = "With --rl: the policy (a curlab run or checkpoint, or a "
            + "Hugging Face GPT-2 directory; default: a warm start of --rl-warm-steps trained first, not timed).")
    String initFrom;

    @Option(names = "--rl-warm-steps", paramLabel = "K", defaultValue = "300", description = "With --rl and no --init-from: "
            + "steps of the demo's supervised warm start, so that some groups carry signal and the update runs (default: ${DEFAULT-VALUE}).")
    long rlWarmSteps;

    @Option(names = "--rl-shapes", split = ",", paramLabel = "PRESETS", defaultValue = "nano,micro,mini,gpt2", description = "With --rl: "
            + "the presets whose generation (naive against the KV cache) is also timed with random weights on the arena's prompts, "
            + "or none (default: ${DEFAULT-VALUE}).")
    List<String> rlShapes;

    @Option(names = "--rl-reps", paramLabel = "R", defaultValue = "5", description = "With --rl: measured generation runs per path "
            + "and model, fewer once a model has taken a minute (default: ${DEFAULT-VALUE}).")
    int rlReps;

    @Override
    public Integer call() throws IOException {
        UserError.require(steps >= 1, "--steps must be >= 1, got " + steps);
        UserError.require(warmup >= 1, "--warmup must be >= 1, got " + warmup);
        UserError.require(gemmSize >= 64, "--gemm-size must be >= 64, got " + gemmSize);
        checkJsonTarget(json);                                                   // before the benchmark, not after it
        if (rl) {
            return RlBench.call(initFrom, rlWarmSteps, warmup, steps, gemmSize, json, rlShapes, rlReps);
        }
        MemoryBudget.require(config(candidates, heldoutBatch));                   // every run fits before any starts
        scaling.forEach(v -> MemoryBudget.require(config(v, v)));
        Path scratch = Files.createTempDirectory("curlab-bench");
        try {
            System.out.printf("curlab bench: %s, T=%d, %s vocabulary, N=%d, M=%d, selector %s, %d+%d steps, %s threads%n",
                    model, context, tokenizer, candidates, heldoutBatch, selector, warmup, steps,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            GemmCeiling.Result gemm = GemmCeiling.measure(gemmSize, 10);
            System.out.printf("GEMM ceiling (%dx%d fp32 matmul): %.1f GFLOP/s best, %.1f median%n",
                    gemmSize, gemmSize, gemm.bestGflops(), gemm.medianGflops());
            StepBenchmark.Result r = StepBenchmark.run(config(candidates, heldoutBatch), warmup, scratch);
            print(r, gemm.bestGflops());
            List<Map<String, Object>> scale = new ArrayList<>();
            if (!scaling.isEmpty()) {
                System.out.printf("%nScaling (N = M):%n%8s %12s %16s %14s%n", "N=M", "step ms", "ms per candidate", "GFLOP/s");
                for (int v : scaling) {
                    UserError.require(v >= 1, "--scaling values must be >= 1, got " + v);
                    StepBenchmark.Result s = StepBenchmark.run(config(v, v), warmup, scratch);
                    System.out.printf("%8d %12.1f %16.2f %14.1f%n", v, s.stepMs(), s.stepMs() / v, s.stepGflops());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("n", v);
                    row.put("m", v);
                    row.put("step_ms", s.stepMs());
                    row.put("step_gflops", s.stepGflops());
                    scale.add(row);
                }
            }
            if (json != null) {
                writeJson(r, gemm, scale);
                System.out.println("json: " + json.toAbsolutePath());
            }
            return 0;
        } finally {
            Directories.deleteOrThrow(scratch);
        }
    }

    private TrainConfig config(int n, int m) {
        TrainConfig d = TrainConfig.defaults("builtin:mixture");
        if (m > d.heldoutWindows()) {
            throw new UserError("--heldout-batch must be <= " + d.heldoutWindows() + ", got " + m);
        }
        return d.toBuilder().heldout(null).eval(null).tokenizer(tokenizer).model(model).context(context)
                .steps(warmup + steps).candidates(n).heldoutBatch(m).evalWindows(8).evalEvery(warmup + steps + 1)
                .selector(selector).selectorSettings(settings()).warmup(0).seed(0).checkpointEvery(0)
                .reward(TrainConfig.Reward.of(reward)).initFrom(null).build();
    }

    /** The product's selector settings with a shorter irreducible-loss training (--il-steps; cached under its own key). */
    private SelectorSettings settings() {
        BaselineConfig b = BaselineConfig.DEFAULT;
        return new SelectorSettings(1, SoftQConfig.DEFAULT, b.withIlModel(ilSteps, b.ilCache()).withIlPreset(ilModel), scoreTokens);
    }

    private static void print(StepBenchmark.Result r, double ceiling) {
        System.out.printf("%n%-18s %10s %10s %10s %10s %10s%n", "phase", "median ms", "p10 ms", "p90 ms", "GFLOP", "GFLOP/s");
        for (PhaseStats p : r.phases()) {
            System.out.printf("%-18s %10.2f %10.2f %10.2f %10s %10s%n", p.name(), p.medianMs(), p.p10Ms(), p.p90Ms(),
                    p.gflop() > 0 ? String.format("%.2f", p.gflop()) : "-",
                    Double.isNaN(p.gflops()) ? "-" : String.format("%.1f", p.gflops()));
        }
        System.out.printf("%-18s %10.2f %32s %10.1f%n", "whole step", r.stepMs(), String.format("%.2f GFLOP", r.stepGflop()), r.stepGflops());
        System.out.printf("%nstep at %.1f%% of the GEMM ceiling; selector overhead %.1f%% of step time;%n",
                100 * r.stepGflops() / ceiling, 100 * r.selectorOverheadShare());
        System.out.printf("cost per trained example: %.3g FLOPs charged, %.2fx a random step's (its update, %.3g); "
                        + "%.2f ms, %.2fx the update phase's %.2f ms%n",
                r.chargedFlopPerExample(), r.chargedFlopPerExample() / r.randomFlopPerExample(), r.randomFlopPerExample(),
                r.msPerExample(), r.msPerExample() / r.updateMsPerExample(), r.updateMsPerExample());
        System.out.printf("resident memory %.0f MB at step %s, %.0f MB at the end, %.0f MB peak "
                        + "(of which Java heap committed: %.0f MB and %.0f MB)%n",
                r.rssMbAtStep100(), "100 (or the last)", r.rssMbAtEnd(), r.peakRssMb(), r.heapMbAtStep100(), r.heapMbAtEnd());
    }

    /** Refuses a --json FILE that cannot be written: a directory, or in a folder that does not exist or is not writable. */
    static void checkJsonTarget(Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new UserError("--json " + file + " is a directory; give a file name, e.g. " + file.resolve("bench.json"));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UserError("--json " + file + ": the folder " + parent + " does not exist");
        }
        if (parent != null && !Files.isWritable(parent) || Files.exists(file) && !Files.isWritable(file)) {
            throw new UserError("--json " + file + " is not writable");
        }
    }

    private void writeJson(StepBenchmark.Result r, GemmCeiling.Result gemm, List<Map<String, Object>> scale) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ceiling_gflops", gemm.bestGflops());
        root.put("ceiling_median_gflops", gemm.medianGflops());
        root.put("step_gflops", r.stepGflops());
        root.put("fraction_of_ceiling", r.stepGflops() / gemm.bestGflops());
        root.put("selector_overhead_share", r.selectorOverheadShare());
        root.put("step_ms", r.stepMs());
        root.put("step_gflop", r.stepGflop());
        root.put("charged_flop_per_example", r.chargedFlopPerExample());
        root.put("random_flop_per_example", r.randomFlopPerExample());
        root.put("cost_vs_random", r.chargedFlopPerExample() / r.randomFlopPerExample());
        root.put("ms_per_example", r.msPerExample());
        root.put("update_ms_per_example", r.updateMsPerExample());
        root.put("rss_mb", r.rssMbAtEnd());
        root.put("rss_mb_at_step_100", r.rssMbAtStep100());
        root.put("peak_rss_mb", r.peakRssMb());
        root.put("heap_mb_at_step_100", r.heapMbAtStep100());
        root.put("heap_mb", r.heapMbAtEnd());
        Map<String, Object> phases = new LinkedHashMap<>();
        for (PhaseStats p : r.phases()) {
            phases.put(p.name(), p.toMap());
        }
        root.put("phases", phases);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("model", model);
        setup.put("context", context);
        setup.put("tokenizer", tokenizer);
        setup.put("candidates", candidates);
        setup.put("heldout_batch", heldoutBatch);
        setup.put("selector", selector);
        setup.put("reward", reward);
        setup.put("steps", steps);
        setup.put("warmup", warmup);
        setup.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        root.put("setup", setup);
        root.put("scaling", scale);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), root);
    }

}
