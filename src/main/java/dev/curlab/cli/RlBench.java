package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.bench.GemmCeiling;
import dev.curlab.bench.GenerationBenchmark;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.Tokenizer;
import dev.curlab.data.Tokenizers;
import dev.curlab.interop.ModelCheckpoints;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.rl.Banks;
import dev.curlab.rl.ProblemBank;
import dev.curlab.rl.Sampler;
import dev.curlab.rl.StopRule;
import dev.curlab.bench.PhaseStats;
import dev.curlab.bench.RlBenchmark;
import dev.curlab.rl.RlConfig;
import dev.curlab.run.StopSignal;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import dev.curlab.util.Directories;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code curlab bench --rl}: an RL run in RESULTS R's arena (the demo's RL settings), its phases against the GEMM ceiling; then
 * generation without and with the KV cache on the arena's prompts, for the policy and each of
 * {@code --rl-shapes} with random weights.
 */
final class RlBench {
    private RlBench() {
    }

    /** The measured run: the demo's RL settings on RESULTS R's bank (the one RESULTS measured it on), the uniform curator, a small held-out set evaluated only at the ends. */
    static RlConfig config(String policy, int warmup, int steps) {
        RlConfig d = DemoSettings.rlCells(Path.of(policy), 1, 1).get(0).toBuilder().tasks(RlPreset.R_BANK).build();
        int total = warmup + steps;
        return d.toBuilder().initFrom(policy).curator("uniform").steps(total).evalEvery(total).heldout(16).checkpointEvery(0)
                .passK(0).passKSamples(0).build();
    }

    static int call(String initFrom, long warmSteps, int warmup, int steps, int gemmSize, Path json, List<String> shapes, int reps)
            throws IOException {
        UserError.require(warmSteps >= 1, "--rl-warm-steps must be >= 1, got " + warmSteps);
        UserError.require(reps >= 1, "--rl-reps must be >= 1, got " + reps);
        List<String> table = shapes.equals(List.of("none")) ? List.of() : shapes;
        for (String shape : table) {
            UserError.require(GptConfig.PRESETS.contains(shape), "--rl-shapes: unknown preset '" + shape + "' (expected none or some of "
                    + String.join(", ", GptConfig.PRESETS) + ")");
        }
        Path scratch = Files.createTempDirectory("curlab-bench-rl");
        try {
            String policy = initFrom;
            if (policy == null) {
                Path warm = scratch.resolve("warm");
                System.out.printf("curlab bench --rl: a warm start of %d steps on %s first (not timed)%n", warmSteps, DemoSettings.WARM_DATA);
                try (Trainer t = Trainer.start(DemoSettings.warmStart(warmSteps), warm, true, RunListener.SILENT, StopSignal.none())) {
                    t.run();
                }
                policy = warm.toString();
            }
            RlConfig cfg = config(policy, warmup, steps);
            System.out.printf(Locale.ROOT, "curlab bench --rl: %s, curator uniform, N=%d, B=%d, G=%d, %d new tokens, %d+%d steps, %s threads%n",
                    cfg.tasks(), cfg.candidates(), cfg.batch(), cfg.group(), cfg.maxNew(), warmup, steps,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            GemmCeiling.Result gemm = GemmCeiling.measure(gemmSize, 10);
            System.out.printf(Locale.ROOT, "GEMM ceiling (%dx%d fp32 matmul): %.1f GFLOP/s best, %.1f median%n",
                    gemmSize, gemmSize, gemm.bestGflops(), gemm.medianGflops());
            RlBenchmark.Result r = RlBenchmark.run(cfg, warmup, scratch);
            print(r, gemm.bestGflops());
            List<GenerationBenchmark.Row> generation = generation(cfg, table, reps);
            if (json != null) {
                write(json, r, gemm, cfg, warmup, steps, generation);
                System.out.println("json: " + json.toAbsolutePath());
            }
            return 0;
        } finally {
            Directories.deleteOrThrow(scratch);
        }
    }

    /**
     * Generated tokens per second, naive against the key/value cache, on the arena's prompts (B problems
     * x G) with the policy, then with random-initialised models of each preset in {@code shapes}
     * (same prompts, tokenizer and context as the policy's).
     */
    static List<GenerationBenchmark.Row> generation(RlConfig cfg, List<String> shapes, int reps) {
        List<GenerationBenchmark.Row> rows = new ArrayList<>();
        ModelCheckpoints.Loaded loaded = ModelCheckpoints.open(Path.of(cfg.initFrom()), "--init-from", w -> { });
        try (Gpt2Model policy = loaded.model()) {
            Tokenizer tok = loaded.tokenizer() != null ? Tokenizers.byName(loaded.tokenizer()) : new ByteTokenizer();
            StopRule stop = StopRule.parse(cfg.stop());
            Sampler sampler = new Sampler(policy, tok, stop);
            ProblemBank bank = Banks.open(cfg.tasks(), cfg.seed(), cfg.heldout());
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < cfg.batch(); i++) {
                int[] ids = sampler.encodePrompt(bank.next().prompt());
                for (int j = 0; j < cfg.group(); j++) {
                    prompts.add(ids);
                }
            }
            System.out.printf(Locale.ROOT, "%ngeneration, naive (every prefix recomputed) against the KV cache: %d completions (B=%d x G=%d) of at most %d tokens,"
                    + " temperature %s, --stop %s, same prompts and seeds; tokens per second of the median run%n",
                    prompts.size(), cfg.batch(), cfg.group(), cfg.maxNew(), cfg.temperature(), stop.spec());
            System.out.printf(Locale.ROOT, "%-22s %12s %12s %14s %9s %12s %5s%n", "model", "parameters", "naive tok/s", "KV-cache tok/s",
                    "speed-up", "same tokens", "reps");
            GptConfig c = policy.config();
            rows.add(row("policy (" + c.layers() + " layers, d " + c.dModel() + ")", policy, sampler, prompts, cfg, reps));
            for (String shape : shapes) {
                try (Gpt2Model m = new Gpt2Model(GptConfig.preset(shape, policy.config().context(), tok.vocabSize()), 0)) {
                    rows.add(row(shape + " (random)", m, new Sampler(m, tok, stop), prompts, cfg, reps));
                }
            }
        }
        return rows;
    }

    private static GenerationBenchmark.Row row(String label, Gpt2Model m, Sampler s, List<int[]> prompts, RlConfig cfg, int reps) {
        GenerationBenchmark.Row r = GenerationBenchmark.measure(label, m, s, prompts, cfg.maxNew(), cfg.temperature(), reps, 60);
        System.out.printf(Locale.ROOT, "%-22s %12d %12.0f %14.0f %8.2fx %12s %5d%n", label, m.config().parameterCount(),
                r.naiveTokensPerSecond(), r.cachedTokensPerSecond(), r.speedup(), r.sameTokens() ? "yes" : "NO", r.reps());
        return r;
    }

    private static void print(RlBenchmark.Result r, double ceiling) {
        System.out.printf(Locale.ROOT, "%n%-18s %10s %10s %10s %10s %10s%n", "phase", "median ms", "p10 ms", "p90 ms", "GFLOP", "GFLOP/s");
        for (PhaseStats p : List.of(r.curate(), r.sample(), r.update(), r.observe())) {
            System.out.printf(Locale.ROOT, "%-18s %10.2f %10.2f %10.2f %10s %10s%n", p.name(), p.medianMs(), p.p10Ms(), p.p90Ms(),
                    p.gflop() > 0 ? String.format(Locale.ROOT, "%.2f", p.gflop()) : "-",
                    Double.isNaN(p.gflops()) ? "-" : String.format(Locale.ROOT, "%.1f", p.gflops()));
        }
        System.out.printf(Locale.ROOT, "%ngenerated %.0f completion tokens per second (%.0f per step); sampling at %.1f%% of the GEMM ceiling%n",
                r.tokensPerSecond(), r.tokensPerStep(), 100 * r.sample().gflops() / ceiling);
        if (r.updatedSteps() == 0) {
            System.out.printf("no update in the %d measured steps: every group was flat (a stronger --init-from would make some)%n",
                    r.measuredSteps());
        } else {
            System.out.printf(Locale.ROOT, "policy update at %.1f%% of the GEMM ceiling (%d of %d measured steps updated%s)%n",
                    100 * r.update().gflops() / ceiling, r.updatedSteps(), r.measuredSteps(),
                    r.updatedSteps() < r.measuredSteps() ? "; the others had only flat groups" : "");
        }
    }

    private static void write(Path json, RlBenchmark.Result r, GemmCeiling.Result gemm, RlConfig cfg, int warmup, int steps,
            List<GenerationBenchmark.Row> generation) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ceiling_gflops", gemm.bestGflops());
        root.put("ceiling_median_gflops", gemm.medianGflops());
        root.put("tokens_per_second", r.tokensPerSecond());
        root.put("tokens_per_step", r.tokensPerStep());
        root.put("sampling_fraction_of_ceiling", r.sample().gflops() / gemm.bestGflops());
        root.put("update_fraction_of_ceiling", r.updatedSteps() == 0 ? null : r.update().gflops() / gemm.bestGflops());
        root.put("updated_steps", r.updatedSteps());
        root.put("measured_steps", r.measuredSteps());
        Map<String, Object> phases = new LinkedHashMap<>();
        for (PhaseStats p : List.of(r.curate(), r.sample(), r.update(), r.observe())) {
            phases.put(p.name(), p.toMap());
        }
        root.put("phases", phases);
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("tasks", cfg.tasks());
        setup.put("init_from", cfg.initFrom());
        setup.put("candidates", cfg.candidates());
        setup.put("batch", cfg.batch());
        setup.put("group", cfg.group());
        setup.put("max_new", cfg.maxNew());
        setup.put("steps", steps);
        setup.put("warmup", warmup);
        setup.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        root.put("setup", setup);
        root.put("generation", generation.stream().map(GenerationBenchmark.Row::toMap).toList());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), root);
    }
}
