package dev.curlab.cli;

import dev.curlab.train.TrainConfig;
import dev.curlab.train.TrainerListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Prints the resolved configuration, progress and events. On a terminal, progress is a bar redrawn
 * in place (step, loss, eval perplexity with the step it was measured at, ETA); into a pipe or a
 * file ({@link Terminal#interactive()} false) it is one plain line every {@value #PERCENT}% of the
 * steps. Every eval value shown names the step of its evaluation.
 */
final class ConsoleListener implements TrainerListener {
    static final int PERCENT = 5;
    private final PrintStream out;
    private final boolean progress;
    private final boolean interactive;
    private final String label;
    private ProgressBar bar;
    private PlainProgress plain;
    private double evalLoss = Double.NaN;
    private long evalStep = -1;       // step of evalLoss; -1 until this process evaluates
    private long fromStep;
    private double lossEma = Double.NaN;

    ConsoleListener(PrintStream out, boolean progress, String label) {
        this(out, progress, Terminal.interactive(), label);
    }

    ConsoleListener(PrintStream out, boolean progress, boolean interactive, String label) {
        this.out = out;
        this.progress = progress;
        this.interactive = interactive;
        this.label = label;
    }

    @Override
    public void started(TrainConfig config, Map<String, Object> resolved, long fromStep) {
        ConfigSummary.lines(label, config, resolved, fromStep).forEach(out::println); // the full JSON is in config.json
        this.fromStep = fromStep;
        if (progress && !interactive) {
            plain = new PlainProgress(System.err, label, config.steps(), config.evalEvery());
        } else if (progress) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(config.steps())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .startsFrom(fromStep, java.time.Duration.ZERO).build();
        }
    }

    @Override
    public void step(long step, long total, double trainLoss, double reward) {
        lossEma = Double.isNaN(lossEma) ? trainLoss : 0.95 * lossEma + 0.05 * trainLoss;
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(" loss %.3f  eval ppl %s", lossEma,
                    evalStep < 0 ? "-" : String.format("%.2f @%d", Math.exp(evalLoss), evalStep)));
        }
        if (plain != null) {
            plain.step(step, lossEma, evalLoss, evalStep);
        }
    }

    @Override
    public void evaluated(long step, double loss) {
        evalLoss = loss;
        evalStep = step;
        if (plain != null) {
            plain.evaluated(step, lossEma, loss);
        } else if (bar == null) {
            out.printf("step %d  eval_loss %.4f  eval_ppl %.3f%n", step, loss, Math.exp(loss));
        }
    }

    @Override
    public void checkpointed(long step, Path dir) {
        if (bar == null && plain == null) {
            out.println("checkpoint " + dir);
        }
    }

    @Override
    public void warning(String message) {
        System.err.println("curlab: warning: " + message);
    }

    @Override
    public void finished(long step, double loss, boolean stopped) {
        if (bar != null) {
            bar.close();
        }
        // The trainer's last eval loss may be from a while back (a stop between evaluations): say when.
        String when = evalStep >= 0 ? "step " + evalStep : "or before step " + fromStep;
        if (stopped) {
            out.printf(Locale.ROOT, "stopped after %d steps; last eval at %s: eval_loss %.4f, eval_ppl %.3f%n", step, when, loss,
                    Math.exp(loss));
        } else {
            out.printf(Locale.ROOT, "finished %d steps; eval_loss %.4f (%s), eval_ppl %.3f%n", step, loss, when, Math.exp(loss));
        }
    }
}
