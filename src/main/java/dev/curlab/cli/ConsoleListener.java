package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.TrainerListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Prints the resolved configuration, a progress bar (step, loss, eval perplexity, ETA) and events. */
final class ConsoleListener implements TrainerListener {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final PrintStream out;
    private final boolean progress;
    private final String label;
    private ProgressBar bar;
    private double evalLoss = Double.NaN;
    private double lossEma = Double.NaN;

    ConsoleListener(PrintStream out, boolean progress, String label) {
        this.out = out;
        this.progress = progress;
        this.label = label;
    }

    @Override
    public void started(TrainConfig config, Map<String, Object> resolved, long fromStep) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("config", config);
        all.put("resolved", resolved);
        try {
            out.println("curlab " + label + (fromStep > 0 ? " (resuming at step " + fromStep + ")" : "") + " with:");
            out.println(JSON.writeValueAsString(all));
        } catch (Exception e) {
            out.println(config);
        }
        if (progress) {
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
                    Double.isNaN(evalLoss) ? "-" : String.format("%.2f", Math.exp(evalLoss))));
        }
    }

    @Override
    public void evaluated(long step, double loss) {
        evalLoss = loss;
        if (bar == null) {
            out.printf("step %d  eval_loss %.4f  eval_ppl %.3f%n", step, loss, Math.exp(loss));
        }
    }

    @Override
    public void checkpointed(long step, Path dir) {
        if (bar == null) {
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
        out.printf("%s %d steps; eval_loss %.4f, eval_ppl %.3f%n", stopped ? "stopped after" : "finished", step, loss, Math.exp(loss));
    }
}
