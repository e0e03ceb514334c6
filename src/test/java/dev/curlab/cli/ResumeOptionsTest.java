package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static dev.curlab.cli.BadInputTest.run;
import static dev.curlab.cli.BadInputTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import dev.curlab.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code train --resume DIR} with other options: conflicts are refused with both values, and
 * {@code --steps K} continues a run without stretching its LR schedule.
 */
class ResumeOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path done;

    static List<String> args(Path out, int steps, String... extra) {
        List<String> a = RunFiles.tinyArgs(out, steps);
        a.set(a.indexOf("--eval-every") + 1, "4");
        a.addAll(List.of(extra));
        return a;
    }

    @BeforeAll
    static void aFinishedRun() {
        done = tmp.resolve("done");
        assertEquals(0, Main.run(args(done, 8).toArray(String[]::new)));
    }

    static BadInputTest.Outcome resume(Path dir, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--resume", dir.toString(), "--no-progress"));
        a.addAll(List.of(extra));
        return run(a.toArray(String[]::new));
    }

    @Test
    void optionsThatContradictTheSavedConfigAreRefusedAndTheRunIsLeftAsItWas() throws Exception {
        Map<String, String> before = snapshot(done);
        assertBad(resume(done, "--lr", "0.5"), "--lr 0.5 conflicts with the run's saved --lr 0.001");
        assertBad(resume(done, "--selector", "loss"), "--selector loss", "saved --selector random");
        assertBad(resume(done, "--beta", "0.7"), "--beta 0.7", "saved --beta 0.3");
        assertBad(resume(done, "--loss-temperature", "2"), "--loss-temperature 2.0", "saved --loss-temperature 0.0");
        assertBad(resume(done, "--select-batch", "2"), "--select-batch 2", "saved --select-batch 1");
        assertBad(resume(done, "--out", tmp.resolve("x").toString()), "--out cannot be combined with --resume");
        assertBad(resume(done, "--overwrite"), "--overwrite cannot be combined with --resume");
        assertBad(resume(done, "--steps", "5"), "--steps 5", "already done 8 steps", "more than 8");
        assertBad(resume(done, "--steps", "8", "--lr", "0.5"), "--lr 0.5");
        assertEquals(before, snapshot(done));
        // The same values as saved are no conflict.
        assertEquals(0, resume(done, "--lr", "0.001", "--selector", "random", "--seed", "0", "--steps", "8").code());
    }

    @Test
    void everyTrainOptionIsCheckedAgainstASavedField() {
        JsonNode saved = JSON.valueToTree(TrainConfig.defaults("builtin:mixture"));
        for (OptionSpec o : Main.commandLine().getSubcommands().get("train").getCommandSpec().options()) {
            String name = o.longestName();
            if (ResumeOptions.NEUTRAL.contains(name) || ResumeOptions.REFUSED.contains(name) || name.equals("--steps")) {
                continue;
            }
            String path = ResumeOptions.configPath(o);
            assertFalse(saved.at(path).isMissingNode(), name + " has no saved field at " + path);
        }
    }

    @Test
    void moreStepsAtAConstantLrGiveTheLongerRunsMetrics() {
        Path longer = tmp.resolve("longer");
        assertEquals(0, Main.run(args(longer, 12).toArray(String[]::new)));
        Path extended = tmp.resolve("extended");
        assertEquals(0, Main.run(args(extended, 8).toArray(String[]::new)));
        assertEquals(0, resume(extended, "--steps", "12").code());
        assertEquals(RunFiles.metricsWithoutTimes(longer), RunFiles.metricsWithoutTimes(extended));
    }

    @Test
    void aDecayingScheduleIsNotStretchedTheAddedStepsRunAtItsFinalLr() throws Exception {
        Path run = tmp.resolve("cosine");
        assertEquals(0, Main.run(args(run, 8, "--lr-schedule", "cosine", "--lr", "0.01", "--min-lr-ratio", "0.1").toArray(String[]::new)));
        assertEquals(0, resume(run, "--steps", "12").code());
        assertEquals(0, resume(run, "--steps", "14").code());
        double[] lr = lrs(run);
        assertEquals(14, lr.length);
        for (int k = 0; k < 8; k++) { // lr_k = min + (lr - min)(1 + cos(pi k / 8)) / 2, min = 0.01 * 0.1
            assertEquals(0.001 + 0.009 * 0.5 * (1 + Math.cos(Math.PI * k / 8)), lr[k], 1e-15, "step " + (k + 1));
        }
        for (int k = 8; k < 14; k++) {
            assertEquals(0.001, lr[k], 1e-15, "added step " + (k + 1) + " runs at the final LR");
        }
        JsonNode cfg = JSON.readTree(run.resolve("config.json").toFile()).get("config");
        assertEquals(14, cfg.get("steps").asLong());
        assertEquals(8, cfg.get("scheduleSteps").asLong());
        assertEquals(0, run("report", run.toString()).code());
    }

    private static double[] lrs(Path run) {
        return RunFiles.metricsWithoutTimes(run).stream().filter(m -> "step".equals(m.get("kind")))
                .mapToDouble(m -> ((Number) m.get("lr")).doubleValue()).toArray();
    }
}
