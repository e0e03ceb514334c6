package dev.curlab.serve;

import dev.curlab.rl.Banks;
import dev.curlab.rl.Curator;
import dev.curlab.rl.Problem;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The service's state machine, without I/O: a curator over a fixed bank, its generators, the
 * pass-rate table and the request ids it has seen. Every method checks its whole request before it
 * changes anything (an {@link ApiError} leaves the state as it was), and the same sequence of calls
 * from the same state gives the same picks, which is what lets a journal replay it exactly.
 * Not thread-safe: {@link DurableService} serialises the calls.
 */
public final class CuratorService {
    /** Sample request ids remembered with their answer (the oldest are forgotten first). */
    public static final int RECENT_SAMPLES = 1024;
    private final Banks.Table bank;
    private final Curator curator;
    private final int oversample;
    private final Rng curatorRng;     // the curator's draws: the stream curlab rl's curator uses at this seed
    private final Rng candidateRng;   // candidates drawn by the service when the client sends none
    private final PassRates table;
    private final LinkedHashSet<String> seenUpdates = new LinkedHashSet<>();
    private final LinkedHashMap<String, Picked> recentSamples = new LinkedHashMap<>();
    private long sampleCalls;
    private long updateCalls;
    private long duplicateUpdates;
    private long duplicateSamples;
    private long problemsSampled;
    private Map<String, Object> restoredMetrics;   // the curator's metrics at the snapshot, until the next pick recomputes them

    /** The answer of a sample call: the step the curator saw, the picked bank indices and their positions among the candidates. */
    public record Picked(long step, int[] indices, int[] positions, boolean duplicate) {
    }

    /** The answer of an update: whether it was applied (false: a repeated request id) and the curator's metrics after it. */
    public record Observed(boolean applied, int problems, Map<String, Object> metrics) {
    }

    public CuratorService(Banks.Table bank, Curator curator, long seed, int oversample) {
        this.bank = bank;
        this.curator = curator;
        this.oversample = oversample;
        this.curatorRng = Rng.derive(seed, "rl/curator");
        this.candidateRng = Rng.derive(seed, "serve/candidates");
        this.table = new PassRates(bank.problems().size());
    }

    public int size() {
        return bank.problems().size();
    }

    public Problem problem(int index) {
        return bank.problems().get(index);
    }

    public Curator curator() {
        return curator;
    }

    public Picked sample(Requests.Sample r) {
        if (r.requestId() != null && recentSamples.containsKey(r.requestId())) {
            duplicateSamples++;
            Picked p = recentSamples.get(r.requestId());
            return new Picked(p.step(), p.indices(), p.positions(), true);
        }
        int m = size();
        if (r.candidates() != null) {
            for (int i = 0; i < r.candidates().length; i++) {
                checkIndex(r.candidates()[i], "candidates[" + i + "]");
            }
        } else if (r.n() > m) {
            throw ApiError.unprocessable("n (" + r.n() + ") must be <= the bank's " + m + " problems");
        }
        long step = r.step() != null ? r.step() : sampleCalls;
        int[] cand = r.candidates() != null ? r.candidates()
                : candidateRng.sampleWithoutReplacement(m, (int) Math.min(m, (long) oversample * r.n()));
        List<Problem> problems = new ArrayList<>(cand.length);
        for (int i : cand) {
            problems.add(problem(i));
        }
        int[] positions = curator.pick(step, problems, r.n(), curatorRng);
        int[] indices = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            indices[k] = cand[positions[k]];
            table.picked(indices[k]);
        }
        sampleCalls++;
        problemsSampled += indices.length;
        restoredMetrics = null;
        Picked p = new Picked(step, indices, positions, false);
        if (r.requestId() != null) {
            recentSamples.put(r.requestId(), p);
            forgetOldest();
        }
        return p;
    }

    public Observed update(Requests.Update u) {
        if (seenUpdates.contains(u.requestId())) {
            duplicateUpdates++;
            return new Observed(false, 0, curatorMetrics());
        }
        for (int i = 0; i < u.results().size(); i++) {
            checkIndex(u.results().get(i).index(), "results[" + i + "].index");
        }
        int g = u.results().get(0).acc().length;
        List<Problem> picked = new ArrayList<>(u.results().size());
        int[] successes = new int[u.results().size()];
        for (int i = 0; i < successes.length; i++) {
            Requests.Result res = u.results().get(i);
            picked.add(problem(res.index()));
            successes[i] = Arrays.stream(res.acc()).sum();
            table.reported(res.index(), res.acc(), res.reward());
        }
        curator.observe(picked, successes, g);
        seenUpdates.add(u.requestId());
        updateCalls++;
        return new Observed(true, picked.size(), curatorMetrics());
    }

    /**
     * The curator's metrics. A curator's save() holds its state, not the values it computed at its
     * last pick (learnability's mean score), which are NaN after a restore; until the next pick they
     * are the ones saved with the state, so a restart reports what an uninterrupted service would.
     */
    public Map<String, Object> curatorMetrics() {
        Map<String, Object> m = new LinkedHashMap<>(curator.metrics());
        if (restoredMetrics != null) {
            m.replaceAll((k, v) -> v instanceof Double d && d.isNaN() && restoredMetrics.containsKey(k) ? restoredMetrics.get(k) : v);
        }
        return m;
    }

    private void checkIndex(int index, String name) {
        if (index >= size()) {
            throw ApiError.unprocessable(name + " = " + index + " is not a problem of this bank (indices 0 to " + (size() - 1) + ")");
        }
    }

    private void forgetOldest() {
        Iterator<String> it = recentSamples.keySet().iterator();
        while (recentSamples.size() > RECENT_SAMPLES) {
            it.next();
            it.remove();
        }
    }

    /** Counters for /v1/state and /metrics. */
    public Map<String, Object> counters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sample_calls", sampleCalls);
        m.put("update_calls", updateCalls);
        m.put("duplicate_samples", duplicateSamples);
        m.put("duplicate_updates", duplicateUpdates);
        m.put("problems_sampled", problemsSampled);
        m.put("problems_attempted", table.attempted());
        m.put("rollouts", table.totalAttempts());
        m.put("successes", table.totalSuccesses());
        return m;
    }

    PassRates table() {
        return table;
    }

    /** The whole state as JSON values: a snapshot, or a {@code curlab rl} checkpoint of a remote curator. */
    public Map<String, Object> save() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("curator_name", curator.name());
        s.put("curator", curator.save());
        s.put("curator_metrics", curatorMetrics());
        s.put("curator_rng", curatorRng.state());
        s.put("candidate_rng", candidateRng.state());
        s.put("sample_calls", sampleCalls);
        s.put("update_calls", updateCalls);
        s.put("duplicate_samples", duplicateSamples);
        s.put("duplicate_updates", duplicateUpdates);
        s.put("problems_sampled", problemsSampled);
        s.put("table", table.save());
        s.put("seen_updates", new ArrayList<>(seenUpdates));
        List<Map<String, Object>> recent = new ArrayList<>();
        recentSamples.forEach((id, p) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", id);
            e.put("step", p.step());
            e.put("indices", p.indices());
            e.put("positions", p.positions());
            recent.add(e);
        });
        s.put("recent_samples", recent);
        return s;
    }

    /** Replaces the whole state with one {@link #save()} returned (checked against this bank and curator first). */
    @SuppressWarnings("unchecked")
    public void restore(Map<String, Object> s) {
        if (!curator.name().equals(s.get("curator_name"))) {
            throw ApiError.unprocessable("state: it is of curator " + s.get("curator_name") + ", this service runs " + curator.name());
        }
        PassRates check = new PassRates(size());
        check.restore((Map<String, Object>) s.get("table"));        // fails on a table of another size before anything changes
        curator.restore((Map<String, Object>) s.get("curator"));
        table.restore((Map<String, Object>) s.get("table"));
        curatorRng.setState(num(s, "curator_rng"));
        candidateRng.setState(num(s, "candidate_rng"));
        sampleCalls = num(s, "sample_calls");
        updateCalls = num(s, "update_calls");
        duplicateSamples = num(s, "duplicate_samples");
        duplicateUpdates = num(s, "duplicate_updates");
        problemsSampled = num(s, "problems_sampled");
        Object cm = s.get("curator_metrics");
        restoredMetrics = cm instanceof Map<?, ?> ? new LinkedHashMap<>((Map<String, Object>) cm) : null;
        seenUpdates.clear();
        seenUpdates.addAll((List<String>) s.get("seen_updates"));
        recentSamples.clear();
        for (Map<String, Object> e : (List<Map<String, Object>>) s.get("recent_samples")) {
            recentSamples.put((String) e.get("id"), new Picked(num(e, "step"), ints(e.get("indices")), ints(e.get("positions")), false));
        }
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw ApiError.unprocessable("state: missing number '" + key + "'");
        }
        return n.longValue();
    }

    @SuppressWarnings("unchecked")
    private static int[] ints(Object v) {
        return ((List<Number>) v).stream().mapToInt(Number::intValue).toArray();
    }
}
