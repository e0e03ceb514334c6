package dev.curlab.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress for a pipe or a log file: one plain line every {@value ConsoleProgress#PERCENT}% of the
 * steps (and at the last), never a carriage return. A line that falls on an evaluation step waits
 * for that evaluation, so the eval perplexity it shows is always the newest, with its step.
 */
final class PlainProgress {
    private final PrintStream err;
    private final String label;
    private final long total;
    private final long evalEvery;
    private final long every;
    private final long start = System.nanoTime();
    private long pending = -1;

    PlainProgress(PrintStream err, String label, long total, long evalEvery) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.evalEvery = evalEvery;
        this.every = Math.max(1, (total * ConsoleProgress.PERCENT + 99) / 100);
    }

    void step(long step, double loss, double evalLoss, long evalStep) {
        if (step % every != 0 && step != total) {
            return;
        }
        if (step == total || step % evalEvery == 0) {
            pending = step;            // the evaluation of this step comes next
        } else {
            print(step, loss, evalLoss, evalStep);
        }
    }

    void evaluated(long step, double loss, double evalLoss) {
        if (step == pending) {
            pending = -1;
            print(step, loss, evalLoss, step);
        }
    }

    private void print(long step, double loss, double evalLoss, long evalStep) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        err.printf(Locale.ROOT, "%s: step %d/%d (%d%%)  loss %.3f  eval_ppl %s  elapsed %d:%02d:%02d%n", label, step, total,
                100 * step / total, loss, evalStep < 0 ? "-" : String.format(Locale.ROOT, "%.2f (step %d)", Math.exp(evalLoss), evalStep),
                s / 3600, s / 60 % 60, s % 60);
        err.flush();
    }
}
