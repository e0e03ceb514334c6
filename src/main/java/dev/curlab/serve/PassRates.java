package dev.curlab.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-problem table of the service: times picked, rollouts reported (attempts), rollouts right
 * (successes) and the sum of the optional shaped rewards, undecayed, whatever the curator keeps.
 */
final class PassRates {
    private final long[] picks;
    private final long[] attempts;
    private final long[] successes;
    private final double[] rewardSum;

    PassRates(int size) {
        picks = new long[size];
        attempts = new long[size];
        successes = new long[size];
        rewardSum = new double[size];
    }

    void picked(int index) {
        picks[index]++;
    }

    void reported(int index, int[] acc, double[] reward) {
        attempts[index] += acc.length;
        for (int a : acc) {
            successes[index] += a;
        }
        if (reward != null) {
            for (double r : reward) {
                rewardSum[index] += r;
            }
        }
    }

    long totalAttempts() {
        long s = 0;
        for (long a : attempts) {
            s += a;
        }
        return s;
    }

    long totalSuccesses() {
        long s = 0;
        for (long a : successes) {
            s += a;
        }
        return s;
    }

    long attempted() {
        long s = 0;
        for (long a : attempts) {
            s += a > 0 ? 1 : 0;
        }
        return s;
    }

    long attempts(int index) {
        return attempts[index];
    }

    long successes(int index) {
        return successes[index];
    }

    /** Rows of the problems picked or reported at least once: index, picks, attempts, successes, pass_rate, reward_sum. */
    List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < attempts.length; i++) {
            if (picks[i] == 0 && attempts[i] == 0) {
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            r.put("picks", picks[i]);
            r.put("attempts", attempts[i]);
            r.put("successes", successes[i]);
            r.put("pass_rate", attempts[i] == 0 ? null : (double) successes[i] / attempts[i]);
            r.put("reward_sum", rewardSum[i]);
            out.add(r);
        }
        return out;
    }

    Map<String, Object> save() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("picks", picks);
        m.put("attempts", attempts);
        m.put("successes", successes);
        m.put("reward_sum", rewardSum);
        return m;
    }

    @SuppressWarnings("unchecked")
    void restore(Map<String, Object> m) {
        copy((List<Number>) m.get("picks"), picks);
        copy((List<Number>) m.get("attempts"), attempts);
        copy((List<Number>) m.get("successes"), successes);
        List<Number> r = (List<Number>) m.get("reward_sum");
        check(r, rewardSum.length);
        for (int i = 0; i < rewardSum.length; i++) {
            rewardSum[i] = r.get(i).doubleValue();
        }
    }

    private static void copy(List<Number> from, long[] to) {
        check(from, to.length);
        for (int i = 0; i < to.length; i++) {
            to[i] = from.get(i).longValue();
        }
    }

    private static void check(List<Number> from, int size) {
        if (from == null || from.size() != size) {
            throw ApiError.unprocessable("state: the pass-rate table has " + (from == null ? 0 : from.size())
                    + " rows, this bank " + size);
        }
    }
}
