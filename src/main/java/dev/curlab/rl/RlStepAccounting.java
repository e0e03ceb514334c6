package dev.curlab.rl;

import dev.curlab.eval.PassCost;
import dev.curlab.rl.RlTrainer.Group;
import dev.curlab.rl.RlTrainer.Round;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounting beside an RL step: it adds the step to the compute ledger ({@link RlCounters}:
 * rollouts, tokens, FLOPs of sampling, update, curator and probes, wall-clock) and writes its metrics
 * line. The step does the algorithm; this records what it cost. {@link RlLedger} rebuilds the same
 * ledger from metrics.jsonl afterwards.
 */
final class RlStepAccounting {
    private final RlConfig cfg;
    private final PassCost cost;        // what a pass of the policy costs (eval/PassCost)
    private final boolean reference;    // the update also runs the KL reference's forward pass
    private final Curator curator;

    RlStepAccounting(RlConfig cfg, PassCost cost, boolean reference, Curator curator) {
        this.cfg = cfg;
        this.cost = cost;
        this.reference = reference;
        this.curator = curator;
    }

    /**
     * The step's compute ledger and metrics line. Reward, success and zero-variance figures are over
     * every generated group, BEFORE any filter (TRL's {@code reward}, {@code frac_reward_zero_std});
     * {@code *_trained} ones over the update's batch.
     */
    Map<String, Object> record(RlCounters state, List<Round> rounds, List<Group> batch, RlStepOutcome out, double[] lossAndNorm,
            long curatorTokensBefore, long probeTokensBefore, long[] nanos) {
        List<Group> all = new ArrayList<>();
        long generated = 0;
        long sampleForwardTokens = 0;
        for (Round r : rounds) {
            all.addAll(r.groups());
            generated += r.completionTokens();
            sampleForwardTokens += r.forwardTokens();
        }
        int zero = 0;
        double reward = 0;
        double acc = 0;
        for (Group g : all) {
            zero += g.successes() == 0 || g.successes() == cfg.group() ? 1 : 0;
            for (double r : g.rewards()) {
                reward += r / (all.size() * (double) cfg.group());
            }
            acc += g.successes() / (all.size() * (double) cfg.group());
        }
        state.step++;
        state.optimizerSteps += out.samples().isEmpty() ? 0 : 1;
        state.rollouts += (long) all.size() * cfg.group();
        state.rolloutsTrained += out.samples().size();
        state.problemsUsed += all.size();
        state.tokensGenerated += generated;
        state.groups += all.size();
        state.zeroVarianceGroups += zero;
        state.flopsSampling += cost.forward(sampleForwardTokens);
        state.flopsUpdate += cost.train(updateTokens(out.samples())) + (reference ? cost.forward(updateTokens(out.samples())) : 0); // + the reference policy's forward
        state.flopsCurator += cost.forward(state.curatorForwardTokens - curatorTokensBefore) + curator.takeOwnFlops();
        state.flopsProbes += cost.forward(state.probeForwardTokens - probeTokensBefore);
        long stepNanos = 0;
        for (long n : nanos) {
            stepNanos += n;
        }
        state.wallSeconds += stepNanos / 1e9;
        List<Problem> picked = all.stream().map(Group::problem).toList();
        Map<String, Object> line = counters("step", state);
        line.put("rollouts_trained", state.rolloutsTrained);
        line.put("rollouts_probe", state.rolloutsProbe);
        line.put("problems_used", state.problemsUsed);
        line.put("tokens_generated", state.tokensGenerated);
        line.put("tokens_generated_probe", state.tokensProbe);
        line.put("gen_rounds", rounds.size());
        line.put("groups_generated", all.size());
        line.put("groups_trained", batch.size() - out.zeroVarianceGroups());
        line.put("reward_mean", reward);
        line.put("acc_mean", acc);
        line.put("reward_mean_trained", batch.isEmpty() ? Double.NaN : out.rewardMean());
        line.put("frac_reward_zero_std", (double) zero / all.size());
        line.put("zero_variance_groups", zero);
        line.put("zero_variance_share", (double) state.zeroVarianceGroups / state.groups);
        line.put("policy_loss", lossAndNorm[0]);
        line.put("grad_norm", lossAndNorm[1]);
        line.put("kl", lossAndNorm[2]);
        line.put("flops_sampling", state.flopsSampling);
        line.put("flops_update", state.flopsUpdate);
        line.put("flops_curator", state.flopsCurator);
        line.put("flops_probes", state.flopsProbes);
        line.put("flops_total", state.flopsTotal());
        line.put("heldout_accuracy", state.accuracy);
        line.put("picked_buckets", bucketCounts(picked));
        line.putAll(curator.metrics());
        line.put("curate_ms", ms(nanos[0]));
        line.put("sample_ms", ms(nanos[1]));
        line.put("update_ms", ms(nanos[2]));
        line.put("observe_ms", ms(nanos[3]));
        line.put("wall_clock_sec", state.wallSeconds);
        return line;
    }

    /** The head of a step's or an evaluation's metrics line: its kind, then where the run's ledger stands. */
    static Map<String, Object> counters(String kind, RlCounters state) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", kind);
        line.put("step", state.step);
        line.put("optimizer_steps", state.optimizerSteps);
        line.put("rollouts", state.rollouts);
        line.put("rollouts_generated", state.rollouts + state.rolloutsProbe);
        return line;
    }

    private static long updateTokens(List<PolicyLoss.Sample> samples) {
        return samples.isEmpty() ? 0 : (long) samples.size() * (PolicyLoss.length(samples) - 1);
    }

    private static Map<String, Integer> bucketCounts(List<Problem> picked) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (Problem p : picked) {
            m.merge(p.bucket(), 1, Integer::sum);
        }
        return m;
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
