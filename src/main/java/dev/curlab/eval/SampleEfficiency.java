package dev.curlab.eval;

import java.util.OptionalDouble;

/**
 * Sample efficiency on an eval-loss curve: where the curve, linearly interpolated between its eval
 * points, first reaches a target loss, and summary statistics over seeds.
 */
public final class SampleEfficiency {
    private SampleEfficiency() {
    }

    /**
     * The first position, as a fractional index into {@code loss}, where the piecewise-linear curve
     * reaches {@code target} (loss ≤ target); empty when it never does. Non-finite points break the
     * curve: no crossing is interpolated across them.
     */
    public static OptionalDouble crossing(double[] loss, double target) {
        for (int i = 0; i < loss.length; i++) {
            if (!Double.isFinite(loss[i])) {
                continue;
            }
            if (loss[i] <= target) {
                if (i == 0 || !Double.isFinite(loss[i - 1])) {
                    return OptionalDouble.of(i);
                }
                double f = (loss[i - 1] - target) / (loss[i - 1] - loss[i]);      // in (0, 1]
                return OptionalDouble.of(i - 1 + f);
            }
        }
        return OptionalDouble.empty();
    }

    /** {@code v} linearly interpolated at a fractional index. */
    public static double at(double[] v, double index) {
        int i = (int) Math.floor(index);
        double f = index - i;
        if (f == 0 || i + 1 >= v.length) {
            return v[Math.min(i, v.length - 1)];
        }
        return v[i] + f * (v[i + 1] - v[i]);
    }

    /** Examples trained when the eval-loss curve first reaches {@code target}; empty if never. */
    public static OptionalDouble examplesToTarget(double[] examples, double[] loss, double target) {
        OptionalDouble c = crossing(loss, target);
        return c.isPresent() ? OptionalDouble.of(at(examples, c.getAsDouble())) : OptionalDouble.empty();
    }
}
