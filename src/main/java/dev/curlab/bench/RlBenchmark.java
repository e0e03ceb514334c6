package dev.curlab.bench;

import dev.curlab.report.MetricsFile;
import dev.curlab.rl.RlConfig;
import dev.curlab.run.RunListener;
import dev.curlab.rl.RlRuns;
import dev.curlab.rl.RlTrainer;
import dev.curlab.run.StopSignal;
import dev.curlab.util.Directories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a real RL run (the same loop, sampler and update as {@code curlab rl}) in a temporary directory
 * and reduces its per-step timings, after a warm-up, to generated tokens per second and the FLOP
 * rates of sampling and of the policy update. The update's statistics are over the steps that made
 * one (a step whose every group is flat skips it).
 */
public final class RlBenchmark {
    private RlBenchmark() {
    }

    /**
     * What one benchmarked RL run measured.
     *
     * @param curate          the curator's pick (and any policy pass it asks for)
     * @param sample          rollouts: generation and verification; gflop = sampling FLOPs per step
     * @param update          the GRPO step, over the steps that updated; gflop = update FLOPs per such step
     * @param observe         the curator's update
     * @param updatedSteps    measured steps that made an update
     * @param measuredSteps   steps after the warm-up
     * @param tokensPerSecond completion tokens generated per second of the sampling phase
     * @param tokensPerStep   completion tokens generated per step
     */
    public record Result(PhaseStats curate, PhaseStats sample, PhaseStats update, PhaseStats observe,
                         int updatedSteps, int measuredSteps, double tokensPerSecond, double tokensPerStep) {
    }

    public static Result run(RlConfig cfg, int warmup, Path scratch) {
        Path dir = scratch.resolve("rl-bench-run");
        try (RlTrainer t = RlRuns.start(cfg, dir, true, RunListener.SILENT, StopSignal.none())) {
            t.run();
        }
        List<Map<String, Object>> steps = MetricsFile.read(dir.resolve("metrics.jsonl")).steps();
        Directories.deleteOrThrow(dir);
        if (steps.size() <= warmup) {
            throw new IllegalArgumentException("need more steps than the warm-up (" + warmup + ")");
        }
        return reduce(steps, warmup);
    }

    /** The statistics of {@code steps} (step lines in order) after the first {@code warmup}. */
    static Result reduce(List<Map<String, Object>> steps, int warmup) {
        double[] tokens = MetricsFile.column(steps, "tokens_generated");
        double[] sampling = MetricsFile.column(steps, "flops_sampling");
        double[] updating = MetricsFile.column(steps, "flops_update");
        double[] grad = MetricsFile.column(steps, "grad_norm");
        List<Map<String, Object>> measured = steps.subList(warmup, steps.size());
        int n = measured.size();
        double tokensSum = tokens[steps.size() - 1] - tokens[warmup - 1];
        double sampleMs = 0;
        for (double v : MetricsFile.column(measured, "sample_ms")) {
            sampleMs += v;
        }
        double samplingPerStep = (sampling[steps.size() - 1] - sampling[warmup - 1]) / n;
        List<Double> updateMs = new ArrayList<>();
        double updateFlop = 0;
        double[] upMs = MetricsFile.column(steps, "update_ms");
        for (int i = warmup; i < steps.size(); i++) {
            if (grad[i] > 0) {
                updateMs.add(upMs[i]);
                updateFlop += updating[i] - updating[i - 1];
            }
        }
        int updated = updateMs.size();
        return new Result(
                PhaseStats.of("curate", MetricsFile.column(measured, "curate_ms"), 0),
                PhaseStats.of("sample", MetricsFile.column(measured, "sample_ms"), samplingPerStep / 1e9),
                PhaseStats.of("update", updateMs.stream().mapToDouble(Double::doubleValue).toArray(),
                        updated == 0 ? 0 : updateFlop / updated / 1e9),
                PhaseStats.of("curator_observe", MetricsFile.column(measured, "observe_ms"), 0),
                updated, n, tokensSum / (sampleMs / 1000.0), tokensSum / n);
    }
}
