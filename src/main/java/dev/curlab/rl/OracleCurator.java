package dev.curlab.rl;

import dev.curlab.data.ArithProblems;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code difficulty-oracle}: a labelled CEILING, not a method one could use on an unlabelled bank. It
 * reads the generator's labels: every {@code probeEvery} steps it measures, for each (family,
 * parameter) bucket of {@code builtin:arith}, the policy's sampled success on {@code probeProblems}
 * fresh problems of that bucket from a probe stream of its own ({@code probeRollouts} rollouts each,
 * charged to the curator), and then picks the candidates whose bucket success is nearest 0.5 (ties in
 * a random order).
 */
public final class OracleCurator implements Curator {
    private final ArithBank bank;
    private final Probe probe;
    private final int probeEvery;
    private final int probeProblems;
    private final int probeRollouts;
    private final Rng probeRng;
    private final Map<String, Double> p = new LinkedHashMap<>();

    public OracleCurator(ArithBank bank, Probe probe, long seed, int probeEvery, int probeProblems, int probeRollouts) {
        this.bank = bank;
        this.probe = probe;
        this.probeEvery = probeEvery;
        this.probeProblems = probeProblems;
        this.probeRollouts = probeRollouts;
        this.probeRng = Rng.derive(seed, "rl/oracle/probe");
    }

    @Override
    public String name() {
        return "difficulty-oracle";
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        if (step % probeEvery == 0) {
            measure();
        }
        int[] order = rng.sampleWithoutReplacement(candidates.size(), candidates.size());
        List<Integer> idx = new ArrayList<>();
        for (int i : order) {
            idx.add(i);
        }
        idx.sort(Comparator.comparingDouble(i -> Math.abs(p.getOrDefault(candidates.get(i).bucket(), 0.5) - 0.5)));
        int[] out = new int[b];
        for (int k = 0; k < b; k++) {
            out[k] = idx.get(k);
        }
        return out;
    }

    private void measure() {
        List<Problem> probes = new ArrayList<>();
        for (ArithProblems.Family f : bank.families()) {
            for (int v = f.min(); v <= f.max(); v++) {
                for (int k = 0; k < probeProblems; k++) {
                    probes.add(ArithBank.make(probeRng, f, v, -1));
                }
            }
        }
        double[] rates = probe.successRates(probes, probeRollouts);
        p.clear();
        for (int i = 0; i < probes.size(); i += probeProblems) {
            double sum = 0;
            for (int k = 0; k < probeProblems; k++) {
                sum += rates[i + k];
            }
            p.put(probes.get(i).bucket(), sum / probeProblems);
        }
    }

    @Override
    public void observe(List<Problem> picked, int[] successes, int g) {
    }

    @Override
    public Map<String, Object> metrics() {
        return p.isEmpty() ? Map.of() : Map.of("oracle_probe_p", new LinkedHashMap<>(p));
    }

    @Override
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("p", new LinkedHashMap<>(p));
        s.put("probe_rng", probeRng.state());
        return s;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> state) {
        p.clear();
        ((Map<String, Object>) state.getOrDefault("p", Map.of())).forEach((k, v) -> p.put(k, ((Number) v).doubleValue()));
        probeRng.setState(((Number) state.get("probe_rng")).longValue());
    }
}
