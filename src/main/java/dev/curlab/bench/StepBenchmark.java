package dev.curlab.bench;

import dev.curlab.eval.Flops;
import dev.curlab.eval.PassCost;
import dev.curlab.model.GptConfig;
import dev.curlab.report.MetricsFile;
import dev.curlab.report.RunData;
import dev.curlab.select.baselines.IrreducibleLossModel;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import dev.curlab.util.Directories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a real training run (the same trainer, selector and data path as `curlab train`) in a
 * temporary directory and reduces its per-step phase timings, after a warm-up, to medians and
 * spreads with each phase's FLOPs.
 */
public final class StepBenchmark {
    /** The phases of a step as the trainer times them (metrics field per phase). */
    static final String[][] PHASES = {
        {"data", "data_ms"}, {"scoring", "score_ms"}, {"selection", "select_ms"}, {"lm_update", "update_ms"},
        {"reward", "reward_ms"}, {"q_update", "learn_ms"}};

    private StepBenchmark() {
    }

    /**
     * What one benchmarked run measured.
     *
     * @param phases               per-phase statistics, including "logging" (the rest of the step)
     *                             and "checkpoint" (one final checkpoint, not per step)
     * @param stepMs               median wall time of a whole step
     * @param stepGflop            FLOPs of one step (scoring + update + reward), GFLOP
     * @param selectorOverheadShare median share of a step spent outside the LM's forward/backward passes
     * @param rssMbAtStep100       resident memory at step 100 (or the last step when fewer)
     * @param rssMbAtEnd           resident memory at the end of the run
     * @param peakRssMb            peak resident memory of the process so far
     * @param chargedFlopPerExample training FLOPs per trained example over the measured steps, as the comparison
     *                             charges them (the passes the steps logged; RunData)
     * @param randomFlopPerExample what a random step charges per example: its update, 3 forward passes of one window
     * @param msPerExample         median step time per trained example
     * @param updateMsPerExample   median LM-update time per trained example (what a random step spends, data aside)
     */
    public record Result(List<PhaseStats> phases, double stepMs, double stepGflop, double selectorOverheadShare,
                         double rssMbAtStep100, double rssMbAtEnd, double peakRssMb, double heapMbAtStep100, double heapMbAtEnd,
                         double chargedFlopPerExample, double randomFlopPerExample, double msPerExample, double updateMsPerExample) {
        public double stepGflops() {
            return stepGflop / (stepMs / 1000.0);
        }
    }

    /** Mean of a per-step count over the measured steps (0 where a step does not log it). */
    private static double meanOf(List<Map<String, Object>> steps, String field) {
        double sum = 0;
        for (double v : MetricsFile.column(steps, field)) {
            sum += Double.isNaN(v) ? 0 : v;
        }
        return sum / steps.size();
    }

    public static Result run(TrainConfig cfg, int warmup, Path scratch) {
        double[] rss100 = {Double.NaN};
        double[] heap100 = {Double.NaN};
        long[] checkpointNanos = {0, 0};
        RunListener listener = new RunListener() {
            @Override
            public void step(Stepped e) {
                if (e.step() == Math.min(100, e.total())) {
                    rss100[0] = ResidentMemory.currentMb();
                    heap100[0] = ResidentMemory.heapCommittedMb();
                }
            }

            @Override
            public void evaluated(Evaluated e) {
                checkpointNanos[0] = System.nanoTime();
            }

            @Override
            public void checkpointed(long step, Path dir) {
                checkpointNanos[1] = System.nanoTime();
            }
        };
        Path dir = scratch.resolve("bench-run");
        int vocab;
        boolean paired;
        try (Trainer t = Trainer.start(cfg, dir, true, listener, StopSignal.none())) {
            t.run();
            vocab = t.vocabSize();
            paired = t.rewardKind().equals("paired-delta");
        }
        double rssEnd = ResidentMemory.currentMb();
        double heapEnd = ResidentMemory.heapCommittedMb();
        List<Map<String, Object>> steps = MetricsFile.read(dir.resolve("metrics.jsonl")).steps();
        Flops.Breakdown[] charged = RunData.load(dir).cumulative();
        Directories.deleteOrThrow(dir);
        if (steps.size() <= warmup) {
            throw new IllegalArgumentException("need more steps than the warm-up (" + warmup + ")");
        }
        List<Map<String, Object>> measured = steps.subList(warmup, steps.size());
        GptConfig shape = GptConfig.preset(cfg.model(), cfg.context(), vocab);
        PassCost pass = PassCost.of(shape.layers(), shape.dModel(), cfg.context(), vocab);
        double[] examples = MetricsFile.column(steps, "examples_trained");
        double before = warmup == 0 ? 0 : examples[warmup - 1];
        double trainedPerStep = (examples[examples.length - 1] - before) / measured.size();
        // each phase's FLOPs from the tokens its passes forwarded, as the steps logged them
        double scoringFlop = pass.forward(meanOf(measured, "scoring_forward_tokens")) + pass.trunk(meanOf(measured, "scoring_trunk_tokens"));
        double rewardFlop = pass.forward(meanOf(measured, "reward_forward_tokens"));
        double updateFlop = pass.train(cfg.context() * trainedPerStep);
        Map<String, Double> gflop = new LinkedHashMap<>();
        double preUpdate = paired ? rewardFlop / 2 : 0;   // the pre-update held-out pass runs in the scoring phase
        // Selection's own model work, as the run logs it: the head alignment (scoring phase) and the
        // irreducible-loss model's forward of the candidates (inside the selector's learn, q_update), at its own shape.
        double alignFlop = pass.head(meanOf(measured, "alignment_head_tokens")) + pass.forward(meanOf(measured, "alignment_forward_tokens"));
        GptConfig il = IrreducibleLossModel.shape(shape, cfg.selectorSettings().baselines().ilModel());
        double ilFlop = PassCost.of(il.layers(), il.dModel(), cfg.context(), vocab).forward(meanOf(measured, "il_forward_tokens"));
        gflop.put("scoring", (scoringFlop + preUpdate + alignFlop) / 1e9);
        gflop.put("lm_update", updateFlop / 1e9);
        gflop.put("reward", (rewardFlop - preUpdate) / 1e9);
        gflop.put("q_update", ilFlop / 1e9);

        List<PhaseStats> phases = new ArrayList<>();
        double[] step = MetricsFile.column(measured, "step_ms");
        double[] rest = step.clone();
        double[] overhead = new double[step.length];
        for (String[] p : PHASES) {
            double[] v = MetricsFile.column(measured, p[1]);
            for (int i = 0; i < v.length; i++) {
                rest[i] -= v[i];
                boolean lm = p[0].equals("scoring") || p[0].equals("lm_update") || p[0].equals("reward");
                if (!lm) {
                    overhead[i] += v[i];
                }
            }
            phases.add(PhaseStats.of(p[0], v, gflop.getOrDefault(p[0], 0.0)));
        }
        for (int i = 0; i < rest.length; i++) {
            overhead[i] = (overhead[i] + rest[i]) / step[i];
        }
        phases.add(PhaseStats.of("logging", rest, 0));
        double ckMs = (checkpointNanos[1] - checkpointNanos[0]) / 1e6;
        phases.add(new PhaseStats("checkpoint (once)", ckMs, ckMs, ckMs, 0));
        double stepGflop = (scoringFlop + updateFlop + rewardFlop + alignFlop + ilFlop) / 1e9;
        double chargedMeasured = charged[charged.length - 1].total() - (warmup == 0 ? 0 : charged[warmup - 1].total());
        double perExample = chargedMeasured / (trainedPerStep * measured.size());
        double stepMs = PhaseStats.of("step", step, 0).medianMs();
        double updateMs = PhaseStats.of("update", MetricsFile.column(measured, "update_ms"), 0).medianMs();
        return new Result(phases, stepMs, stepGflop,
                PhaseStats.of("overhead", overhead, 0).medianMs(), rss100[0], rssEnd, ResidentMemory.peakMb(), heap100[0], heapEnd,
                perExample, pass.train(cfg.context()), stepMs / trainedPerStep, updateMs / trainedPerStep);
    }

}
