package dev.curlab.select.softq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.optim.Optimizer;
import dev.curlab.select.softq.ReplayBuffer.Transition;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The soft-Q core's checkpoint layout: JSON values (rng, q_optimizer_steps, q_updates, reward_stats,
 * beta, replay_rng, replay_r, r_prev, and rho_prev / nstep_r / nstep_rho / nstep_x with n-step) and
 * tensors (phi.*, phibar.*, opt.*, h_prev, replay.x, replay.next, replay.next_prior). The keys are
 * those the selector wrote before the core was split off, so older checkpoints resume.
 */
final class SoftQCheckpoint {
    private SoftQCheckpoint() {
    }

    /** What the core saves. */
    record Parts(Rng rng, Rng replayRng, Optimizer optimizer, long qUpdates, RewardNorm rewardNorm, double beta,
                 ReplayBuffer replay, double[] rPrev, NStepReturns nstep, double rhoPrev, QNetwork online,
                 QNetwork target, float[] xPrev, int f) {
    }

    static void save(Map<String, Object> v, Map<String, NDArray> t, NDManager saved, Parts p) {
        v.put("rng", p.rng.state());
        v.put("q_optimizer_steps", p.optimizer.steps());
        v.put("q_updates", p.qUpdates);
        v.put("reward_stats", p.rewardNorm.save());
        v.put("beta", p.beta);
        v.put("replay_rng", p.replayRng.state());
        List<Transition> kept = p.replay.inOrder();
        v.put("replay_r", kept.stream().map(Transition::r).toList());
        if (p.rPrev != null) {
            v.put("r_prev", Arrays.stream(p.rPrev).boxed().toList());
        }
        if (p.nstep != null) {
            List<NStepReturns.Pick> w = p.nstep.waiting();
            v.put("rho_prev", p.rhoPrev);
            v.put("nstep_r", w.stream().map(NStepReturns.Pick::r).toList());
            v.put("nstep_rho", w.stream().map(NStepReturns.Pick::rho).toList());
            v.put("nstep_x", w.stream().map(x -> toDoubles(x.x())).toList());
        }
        p.online.parameters().forEach((name, a) -> t.put("phi." + name, a));
        p.target.parameters().forEach((name, a) -> t.put("phibar." + name, a));
        p.optimizer.state().forEach((name, a) -> t.put("opt." + name, a));
        int f = p.f;
        if (p.xPrev != null) {
            t.put("h_prev", saved.create(p.xPrev, new Shape(p.xPrev.length / f, f)));
        }
        if (!kept.isEmpty()) {
            t.put("replay.x", saved.create(concat(kept, Transition::x), new Shape(kept.size(), f)));
            if (kept.get(0).next() != null) {
                t.put("replay.next", saved.create(concat(kept, Transition::next), new Shape(kept.size(), kept.get(0).next().length)));
            }
            if (kept.get(0).nextPrior() != null) {
                t.put("replay.next_prior", saved.create(concat(kept, Transition::nextPrior),
                        new Shape(kept.size(), kept.get(0).nextPrior().length)));
            }
        }
    }

    static void restoreOptimizer(Optimizer optimizer, Map<String, Object> v, Map<String, NDArray> t) {
        Map<String, float[]> opt = new LinkedHashMap<>();
        t.forEach((name, a) -> {
            if (name.startsWith("opt.")) {
                opt.put(name.substring(4), a.toFloatArray());
            }
        });
        optimizer.restore(opt, ((Number) v.get("q_optimizer_steps")).longValue());
    }

    static void restoreReplay(ReplayBuffer replay, Map<String, Object> v, Map<String, NDArray> t) {
        replay.clear();
        List<?> rs = v.get("replay_r") instanceof List<?> l ? l : List.of();
        float[] xs = rs.isEmpty() ? null : t.get("replay.x").toFloatArray();
        float[] nx = t.containsKey("replay.next") ? t.get("replay.next").toFloatArray() : null;
        float[] np = t.containsKey("replay.next_prior") ? t.get("replay.next_prior").toFloatArray() : null;
        for (int i = 0; i < rs.size(); i++) {
            replay.add(new Transition(row(xs, i, rs.size()), ((Number) rs.get(i)).doubleValue(),
                    row(nx, i, rs.size()), row(np, i, rs.size())));
        }
    }

    static List<NStepReturns.Pick> nstepPicks(Map<String, Object> v) {
        List<NStepReturns.Pick> picks = new ArrayList<>();
        List<?> rs = v.get("nstep_r") instanceof List<?> l ? l : List.of();
        for (int i = 0; i < rs.size(); i++) {
            List<?> x = (List<?>) ((List<?>) v.get("nstep_x")).get(i);
            float[] xf = new float[x.size()];
            for (int j = 0; j < xf.length; j++) {
                xf[j] = ((Number) x.get(j)).floatValue();
            }
            picks.add(new NStepReturns.Pick(xf, ((Number) rs.get(i)).doubleValue(),
                    ((Number) ((List<?>) v.get("nstep_rho")).get(i)).doubleValue()));
        }
        return picks;
    }

    static void copyInto(Map<String, NDArray> params, Map<String, NDArray> saved, String prefix) {
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray s = saved.get(prefix + e.getKey());
            if (s == null || !s.getShape().equals(e.getValue().getShape())) {
                throw new IllegalStateException("soft-q checkpoint: " + prefix + e.getKey() + " is missing or of another shape"
                        + " (was the run started with another --q-hidden?)");
            }
            dev.curlab.model.Assign.from(e.getValue(), s);
        }
    }

    private static List<Double> toDoubles(float[] x) {
        List<Double> out = new ArrayList<>(x.length);
        for (float a : x) {
            out.add((double) a);
        }
        return out;
    }

    private static float[] concat(List<Transition> ts, Function<Transition, float[]> part) {
        int w = part.apply(ts.get(0)).length;
        float[] out = new float[ts.size() * w];
        for (int i = 0; i < ts.size(); i++) {
            System.arraycopy(part.apply(ts.get(i)), 0, out, i * w, w);
        }
        return out;
    }

    /** Row i of a (rows x width) array saved by {@link #concat}, or null when it was not saved. */
    private static float[] row(float[] all, int i, int rows) {
        if (all == null) {
            return null;
        }
        int w = all.length / rows;
        return Arrays.copyOfRange(all, i * w, (i + 1) * w);
    }
}
