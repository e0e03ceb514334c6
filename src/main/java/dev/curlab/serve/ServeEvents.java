package dev.curlab.serve;

import dev.curlab.report.tensorboard.EventFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service's TensorBoard curves: a new {@code events.out.tfevents.*} file in {@code --state} each
 * time the service opens, with one event per applied update (a repeated request id adds none), at step
 * = the applied updates so far. A restart replays the journal without writing events, so the new file
 * continues the steps and repeats none. The file is a view, not state: a write that fails is warned
 * about once and the events stop, while the service goes on.
 */
final class ServeEvents implements AutoCloseable {
    private EventFile file;                                // null: none (could not be created, or a write failed)

    ServeEvents(Path dir) {
        try {
            file = EventFile.create(dir, now());
        } catch (UncheckedIOException e) {
            warn(e);
        }
    }

    /** Appends the event of one applied update. */
    void update(Map<String, Object> counters, double accMean, Map<String, Object> curatorMetrics) {
        if (file == null) {
            return;
        }
        long step = ((Number) counters.get("update_calls")).longValue();
        try {
            file.write(now(), step, scalars(counters, accMean, curatorMetrics));
        } catch (UncheckedIOException e) {
            warn(e);
            close();
        }
    }

    /**
     * The scalars of one update: {@code serve/updates, samples, rollouts, successes, problems_attempted,
     * duplicate_updates}, {@code serve/acc_mean} (the mean of this update's acc), {@code serve/pass_rate}
     * (successes / rollouts so far), and the curator's numeric metrics as {@code curator/<name>} (a map
     * of numbers as {@code curator/<name>/<key>}); NaN values are left out.
     */
    static List<EventFile.Scalar> scalars(Map<String, Object> counters, double accMean, Map<String, Object> curatorMetrics) {
        List<EventFile.Scalar> out = new ArrayList<>();
        add(out, "serve/updates", counters.get("update_calls"));
        add(out, "serve/samples", counters.get("sample_calls"));
        add(out, "serve/rollouts", counters.get("rollouts"));
        add(out, "serve/successes", counters.get("successes"));
        add(out, "serve/problems_attempted", counters.get("problems_attempted"));
        add(out, "serve/duplicate_updates", counters.get("duplicate_updates"));
        add(out, "serve/acc_mean", accMean);
        double rollouts = ((Number) counters.get("rollouts")).doubleValue();
        add(out, "serve/pass_rate", rollouts == 0 ? Double.NaN : ((Number) counters.get("successes")).doubleValue() / rollouts);
        curatorMetrics.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                m.forEach((e, x) -> add(out, "curator/" + k + "/" + e, x));
            } else {
                add(out, "curator/" + k, v);
            }
        });
        return out;
    }

    /** The mean of every rollout's acc in one update (each acc is 0 or 1). */
    static double accMean(Requests.Update u) {
        long n = 0;
        long s = 0;
        for (Requests.Result r : u.results()) {
            for (int a : r.acc()) {
                s += a;
                n++;
            }
        }
        return (double) s / n;
    }

    private static void add(List<EventFile.Scalar> out, String tag, Object v) {
        if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
            out.add(new EventFile.Scalar(tag, n.floatValue()));
        }
    }

    private static void warn(RuntimeException e) {
        System.err.println("curlab serve: warning: TensorBoard events stopped (" + e.getMessage() + "); the service goes on");
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                file.close();
            } catch (UncheckedIOException e) {
                warn(e);
            }
            file = null;
        }
    }
}
