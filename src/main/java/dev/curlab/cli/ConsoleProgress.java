package dev.curlab.cli;

import dev.curlab.run.RunListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console output of {@code curlab train} and {@code curlab rl}: a short summary of the settings at start
 * ({@link ConfigSummary}; the full JSON is in config.json), progress, events and the closing line.
 * <ul>
 * <li>{@code train}: on a terminal, a bar redrawn in place (step, loss, eval perplexity with the step it
 * was measured at, ETA); into a pipe or a file ({@link Terminal#interactive()} false) one plain line every
 * {@value #PERCENT}% of the steps ({@link PlainProgress}); with {@code --no-progress} a line per evaluation.
 * <li>{@code rl}: one plain line every {@value #PERCENT}% of the steps on stderr (mean reward, latest
 * held-out pass@1 with its step), or with {@code --no-progress} a line per evaluation on stdout.
 * </ul>
 * Every eval value shown names the step of its evaluation.
 */
class ConsoleProgress implements RunListener {
    static final int PERCENT = 5;

    /** Which loop's figures are shown. */
    enum Loop {
        TRAIN, RL
    }

    private final Loop loop;
    private final PrintStream out;
    private final boolean progress;
    private final boolean interactive;
    private final String label;
    private final long start = System.nanoTime();
    private ProgressBar bar;          // train, on a terminal
    private PlainProgress plain;      // train, into a pipe
    private long every = 1;           // rl: steps between progress lines
    private double eval = Double.NaN; // the latest evaluation's value (eval loss, pass@1)
    private long evalStep = -1;       // step of eval; -1 until this process evaluates
    private long fromStep;
    private double ema = Double.NaN;  // train loss (train) or mean reward (rl), smoothed

    /** The console of {@code curlab train} (label "train"). */
    static ConsoleProgress train(PrintStream out, boolean progress, String label) {
        return new ConsoleProgress(Loop.TRAIN, out, progress, Terminal.interactive(), label);
    }

    /** The console of {@code curlab rl}. */
    static ConsoleProgress rl(PrintStream out, boolean progress) {
        return new ConsoleProgress(Loop.RL, out, progress, false, "rl");
    }

    ConsoleProgress(Loop loop, PrintStream out, boolean progress, boolean interactive, String label) {
        this.loop = loop;
        this.out = out;
        this.progress = progress;
        this.interactive = interactive;
        this.label = label;
    }

    @Override
    public void started(Started e) {
        ConfigSummary.lines(label, e.config(), e.resolved(), e.fromStep()).forEach(out::println);
        this.fromStep = e.fromStep();
        if (loop == Loop.RL) {
            every = Math.max(1, (e.steps() * PERCENT + 99) / 100);
        } else if (progress && !interactive) {
            plain = new PlainProgress(System.err, label, e.steps(), e.evalEvery());
        } else if (progress) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(e.steps())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .startsFrom(e.fromStep(), java.time.Duration.ZERO).build();
        }
    }

    @Override
    public void step(Stepped e) {
        if (loop == Loop.RL) {
            ema = Double.isNaN(ema) ? e.value() : 0.9 * ema + 0.1 * e.value();
            if (progress && (e.step() % every == 0 || e.step() == e.total())) {
                System.err.printf(Locale.ROOT, "rl  %d/%d  reward %.3f  held-out pass@1 %s  %.0fs%n", e.step(), e.total(), ema,
                        evalStep < 0 ? "-" : String.format(Locale.ROOT, "%.3f @%d", e.measure(), evalStep), (System.nanoTime() - start) / 1e9);
            }
            return;
        }
        ema = Double.isNaN(ema) ? e.value() : 0.95 * ema + 0.05 * e.value();
        if (bar != null) {
            bar.stepTo(e.step());
            bar.setExtraMessage(String.format(" loss %.3f  eval ppl %s", ema,
                    evalStep < 0 ? "-" : String.format("%.2f @%d", Math.exp(eval), evalStep)));
        }
        if (plain != null) {
            plain.step(e.step(), ema, eval, evalStep);
        }
    }

    @Override
    public void evaluated(Evaluated e) {
        eval = e.value();
        evalStep = e.step();
        if (loop == Loop.RL) {
            if (!progress) {
                out.printf(Locale.ROOT, "step %d  held-out pass@1 %.4f%n", e.step(), e.value());
            }
        } else if (plain != null) {
            plain.evaluated(e.step(), ema, e.value());
        } else if (bar == null) {
            out.printf("step %d  eval_loss %.4f  eval_ppl %.3f%n", e.step(), e.value(), Math.exp(e.value()));
        }
    }

    @Override
    public void checkpointed(long step, Path dir) {
        boolean quiet = loop == Loop.RL ? progress : bar != null || plain != null;
        if (!quiet) {
            out.println("checkpoint " + dir);
        }
    }

    @Override
    public void warning(String message) {
        System.err.println("curlab: warning: " + message);
    }

    @Override
    public void finished(Finished e) {
        if (loop == Loop.RL) {
            out.printf(Locale.ROOT, "%s %d steps; held-out pass@1 %.4f (step %d)%n", e.stopped() ? "stopped after" : "finished", e.step(),
                    e.value(), evalStep < 0 ? e.step() : evalStep);
            return;
        }
        if (bar != null) {
            bar.close();
        }
        // The trainer's last eval loss may be from a while back (a stop between evaluations): say when.
        String when = evalStep >= 0 ? "step " + evalStep : "or before step " + fromStep;
        double loss = e.value();
        if (e.stopped()) {
            out.printf(Locale.ROOT, "stopped after %d steps; last eval at %s: eval_loss %.4f, eval_ppl %.3f%n", e.step(), when, loss,
                    Math.exp(loss));
        } else {
            out.printf(Locale.ROOT, "finished %d steps; eval_loss %.4f (%s), eval_ppl %.3f%n", e.step(), loss, when, Math.exp(loss));
        }
    }
}
