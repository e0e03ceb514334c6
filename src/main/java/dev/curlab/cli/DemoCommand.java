package dev.curlab.cli;

import dev.curlab.train.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code curlab demo}: a few minutes of training on the builtin mixture, then a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train on builtin:mixture with the random selector for a few minutes and write a report.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Where the demo run goes (default: ${DEFAULT-VALUE}).", defaultValue = "runs/demo")
    Path out;

    @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).", defaultValue = "1500")
    long steps;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = TrainConfig.defaults("builtin:mixture").withSteps(steps);
        boolean previousDemo = Files.exists(out.resolve("config.json"));
        StopSignal stop = StopSignal.install();
        try (Trainer trainer = Trainer.start(cfg, out, previousDemo, new ConsoleListener(System.out, !noProgress, "demo"), stop)) {
            Trainer.Result r = trainer.run();
            if (r.stopped()) {
                System.err.println("curlab: demo stopped; resume with: curlab train --resume " + out);
                return Main.EXIT_STOPPED;
            }
        } finally {
            stop.uninstall();
        }
        Path report = dev.curlab.report.RunReport.write(out);
        System.out.println("demo run: " + out.toAbsolutePath());
        System.out.println("report:   " + report.toAbsolutePath());
        return 0;
    }
}
