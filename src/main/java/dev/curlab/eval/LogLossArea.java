package dev.curlab.eval;

/**
 * The area under an eval-loss curve against log examples, normalised by the log-range: the mean eval
 * loss over ln(examples) on [a, b],
 *
 * <pre>  A = (1 / (ln b − ln a)) · ∫_{ln a}^{ln b} loss(u) du</pre>
 *
 * where loss(u) is the curve through the eval points (examples_i, loss_i) with examples_i > 0, linear
 * in u = ln(examples) between them (so the trapezoid rule on the eval points is exact). The endpoints
 * a and b are interpolated the same way. Lower is better; it weighs every decade of examples alike,
 * so an early lead counts and the drift of the last few evaluations moves it little.
 */
public final class LogLossArea {
    private LogLossArea() {
    }

    /** The normalised area on [a, b]; NaN when [a, b] is not inside the curve's positive-examples range or a point is not finite. */
    public static double normalised(double[] examples, double[] loss, double a, double b) {
        if (!(a > 0 && b > a)) {
            return Double.NaN;
        }
        double area = 0;
        double prevU = Double.NaN;
        double prevL = Double.NaN;
        boolean started = false;
        for (int i = 0; i < examples.length; i++) {
            if (!(examples[i] > 0)) {
                continue;
            }
            double u = Math.log(examples[i]);
            double l = loss[i];
            if (!Double.isFinite(l)) {
                return Double.NaN;
            }
            if (Double.isNaN(prevU)) {
                if (examples[i] > a) {
                    return Double.NaN;                      // the curve starts after a
                }
            } else if (u > prevU) {
                double lo = Math.max(prevU, Math.log(a));
                double hi = Math.min(u, Math.log(b));
                if (hi > lo) {
                    area += (hi - lo) * (lineAt(prevU, prevL, u, l, lo) + lineAt(prevU, prevL, u, l, hi)) / 2;
                    started = true;
                }
                if (u >= Math.log(b)) {
                    return started ? area / (Math.log(b) - Math.log(a)) : Double.NaN;
                }
            }
            prevU = u;
            prevL = l;
        }
        return Double.NaN;                                  // the curve ends before b
    }

    /** The line through (u0, l0) and (u1, l1) at u. */
    private static double lineAt(double u0, double l0, double u1, double l1, double u) {
        return l0 + (l1 - l0) * (u - u0) / (u1 - u0);
    }
}
