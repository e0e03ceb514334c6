package dev.curlab.train;

import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop requested before a step's passes are decided (the race a SIGTERM can win) must not change
 * that step's metrics line: the stop's checkpoint checks the updated model with its own unlogged
 * pass, and the resumed run equals an uninterrupted one line by line.
 */
class StopCheckpointTest {
    private static final int STEPS = 12;

    @TempDir
    Path tmp;

    private static TrainConfig config() {
        return TrainerTest.tiny("builtin:mixture", null, STEPS).toBuilder().selector("random").build();
    }

    @Test
    void aStopBeforeTheFirstStepChecksTheModelUnloggedAndResumesToTheUninterruptedMetrics() {
        Path ref = tmp.resolve("reference");
        try (Trainer t = Trainer.start(config(), ref, false, RunListener.SILENT, StopSignal.none())) {
            t.run();
        }
        Path out = tmp.resolve("stopped");
        StopSignal stop = StopSignal.none();
        RunListener stopAtOnce = new RunListener() {
            @Override
            public void started(Started e) {
                stop.request();
            }
        };
        long forwarded;
        try (Trainer t = Trainer.start(config(), out, false, stopAtOnce, stop)) {
            Trainer.Result r = t.run();
            assertTrue(r.stopped());
            assertEquals(1, r.steps());
            forwarded = t.forwardedWindows();
        }
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-00000001")));
        List<Map<String, Object>> lines = RunFiles.metricsWithoutTimes(out);
        Map<String, Object> first = lines.stream().filter(l -> "step".equals(l.get("kind"))).findFirst().orElseThrow();
        assertFalse(first.containsKey("reward"), "the stop must not add a logged reward: " + first);
        assertEquals(0L, ((Number) first.get("reward_forward_tokens")).longValue());
        // the step-0 evaluation, then the unlogged check of the updated model on the step's subset
        assertEquals(config().evalWindows() + config().heldoutBatch(), forwarded);
        try (Trainer t = Trainer.resume(out, RunListener.SILENT, StopSignal.none())) {
            t.run();
        }
        assertEquals(RunFiles.metricsWithoutTimes(ref), RunFiles.metricsWithoutTimes(out));
    }
}
