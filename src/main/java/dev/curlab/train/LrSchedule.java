package dev.curlab.train;

import dev.curlab.util.UserError;
import java.util.List;

/**
 * The LM learning rate at each step: linear warm-up over {@code warmup} steps, then
 * <ul>
 *   <li>{@code constant}: lr;</li>
 *   <li>{@code cosine}: min + (lr - min) * (1 + cos(pi p)) / 2;</li>
 *   <li>{@code linear}: min + (lr - min) * (1 - p);</li>
 *   <li>{@code wsd}: lr until the last {@code decayFraction} of the steps, then linear to min;</li>
 *   <li>{@code rex}: min + (lr - min) * (1 - p) / (1/2 + (1 - p)/2) (Chen et al. 2022);</li>
 * </ul>
 * where p in [0, 1] is the progress after warm-up and min = lr * minRatio.
 */
public record LrSchedule(String kind, double lr, long warmup, long total, double minRatio, double decayFraction) {

    public static final List<String> KINDS = List.of("constant", "cosine", "linear", "wsd", "rex");

    public LrSchedule {
        if (!KINDS.contains(kind)) {
            throw new UserError("--lr-schedule: unknown schedule '" + kind + "' (expected one of " + String.join(", ", KINDS) + ")");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new UserError("--lr must be a positive number, got " + lr);
        }
        if (warmup < 0 || warmup > total) {
            throw new UserError("--warmup must be between 0 and --steps (" + total + "), got " + warmup);
        }
        if (minRatio < 0 || minRatio > 1) {
            throw new UserError("--min-lr-ratio must be in [0, 1], got " + minRatio);
        }
        if (decayFraction <= 0 || decayFraction > 1) {
            throw new UserError("--decay-fraction must be in (0, 1], got " + decayFraction);
        }
    }

    /** Learning rate for step {@code step} (0-based). */
    public double at(long step) {
        if (step < warmup) {
            return lr * (step + 1) / warmup;                       // warm-up
        }
        double min = lr * minRatio;
        double span = Math.max(1, total - warmup);
        double p = Math.min(1.0, (step - warmup) / span);          // progress after warm-up
        return switch (kind) {
            case "constant" -> lr;
            case "cosine" -> min + (lr - min) * 0.5 * (1 + Math.cos(Math.PI * p));
            case "linear" -> min + (lr - min) * (1 - p);
            case "wsd" -> {
                double decayStart = 1 - decayFraction;             // stable, then decay
                yield p < decayStart ? lr : min + (lr - min) * (1 - (p - decayStart) / decayFraction);
            }
            case "rex" -> min + (lr - min) * (1 - p) / (0.5 + 0.5 * (1 - p));
            default -> throw new IllegalStateException(kind);
        };
    }
}
