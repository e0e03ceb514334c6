package dev.curlab.cli;

import dev.curlab.rl.RlListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Console output of {@code curlab rl}: a short summary of the settings at start ({@link ConfigSummary}), then one plain line every
 * {@value ConsoleListener#PERCENT}% of the steps on stderr (mean reward, latest held-out pass@1 with
 * its step), or with {@code --no-progress} a line per evaluation on stdout.
 */
class RlConsoleListener implements RlListener {
    private final PrintStream out;
    private final boolean progress;
    private long every = 1;
    private long evalStep = -1;
    private double rewardEma = Double.NaN;
    private final long start = System.nanoTime();

    RlConsoleListener(PrintStream out, boolean progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public void started(Map<String, Object> configAndResolved, long fromStep, long steps) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resolved = configAndResolved.get("resolved") instanceof Map<?, ?> r ? (Map<String, Object>) r : null;
        ConfigSummary.lines("rl", configAndResolved.get("config"), resolved, fromStep).forEach(out::println); // full JSON: config.json
        every = Math.max(1, (steps * ConsoleListener.PERCENT + 99) / 100);
    }

    @Override
    public void step(long step, long total, double rewardMean, double accuracy) {
        rewardEma = Double.isNaN(rewardEma) ? rewardMean : 0.9 * rewardEma + 0.1 * rewardMean;
        if (progress && (step % every == 0 || step == total)) {
            System.err.printf(Locale.ROOT, "rl  %d/%d  reward %.3f  held-out pass@1 %s  %.0fs%n", step, total, rewardEma,
                    evalStep < 0 ? "-" : String.format(Locale.ROOT, "%.3f @%d", accuracy, evalStep), (System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public void evaluated(long step, double accuracy) {
        evalStep = step;
        if (!progress) {
            out.printf(Locale.ROOT, "step %d  held-out pass@1 %.4f%n", step, accuracy);
        }
    }

    @Override
    public void checkpointed(long step, Path dir) {
        if (!progress) {
            out.println("checkpoint " + dir);
        }
    }

    @Override
    public void warning(String message) {
        System.err.println("curlab: warning: " + message);
    }

    @Override
    public void finished(long step, double accuracy, boolean stopped) {
        out.printf(Locale.ROOT, "%s %d steps; held-out pass@1 %.4f (step %d)%n", stopped ? "stopped after" : "finished", step,
                accuracy, evalStep < 0 ? step : evalStep);
    }
}
