package dev.curlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cadence both loops share, checked on a body that only records what it is asked to do. */
class RunLoopTest {
    @TempDir
    Path tmp;

    /** Records "s1" for a step ending at 1, "e1" for an evaluation at 1, "c1" for a checkpoint at 1, "x1" for a stop's check. */
    static final class Recorder implements RunLoop.Body {
        final List<String> calls = new ArrayList<>();
        long done;
        long stopAfter = -1;
        StopSignal stop;

        @Override
        public long stepsDone() {
            return done;
        }

        @Override
        public void step() {
            done++;
            calls.add("s" + done);
            if (done == stopAfter) {
                stop.request();
            }
        }

        @Override
        public void evaluate() {
            calls.add("e" + done);
        }

        @Override
        public Path checkpoint() {
            calls.add("c" + done);
            return Path.of("step-" + done);
        }

        @Override
        public void beforeStopCheckpoint() {
            calls.add("x" + done);
        }

        @Override
        public double latestEval() {
            return 0.5;
        }

        @Override
        public String finalEval() {
            return "final 0.5";
        }
    }

    private RunLoop.Outcome run(Recorder body, Cadence cadence, List<String> heard) {
        RunDirectory<String> dir = RunDirectory.create(tmp.resolve("run" + heard.hashCode() + System.nanoTime()), "config", false);
        dir.materialize();
        RunListener listener = new RunListener() {
            @Override
            public void started(Started e) {
                heard.add("started " + e.fromStep());
            }

            @Override
            public void checkpointed(long step, Path d) {
                heard.add("checkpointed " + step);
            }

            @Override
            public void finished(Finished e) {
                heard.add("finished " + e.step() + " " + e.stopped());
            }
        };
        try {
            return RunLoop.run(cadence, new RunListener.Started("config", Map.of(), body.done, cadence.steps(), cadence.evalEvery()),
                    body, dir, listener, body.stop);
        } finally {
            dir.close();
        }
    }

    @Test
    void aNewRunEvaluatesAtZeroThenEveryKAndCheckpointsEveryKAndAtTheEnd() {
        Recorder body = new Recorder();
        body.stop = StopSignal.none();
        List<String> heard = new ArrayList<>();
        RunLoop.Outcome o = run(body, new Cadence(5, 2, 3), heard);
        assertEquals(List.of("e0", "s1", "s2", "e2", "s3", "c3", "s4", "e4", "s5", "e5", "c5"), body.calls);
        assertEquals(List.of("started 0", "checkpointed 3", "checkpointed 5", "finished 5 false"), heard);
        assertEquals(new RunLoop.Outcome(5, false, Path.of("step-5")), o);
    }

    @Test
    void aResumedRunDoesNotEvaluateBeforeItsFirstStep() {
        Recorder body = new Recorder();
        body.stop = StopSignal.none();
        body.done = 3;
        run(body, new Cadence(4, 10, 0), new ArrayList<>());
        assertEquals(List.of("s4", "e4", "c4"), body.calls);
    }

    @Test
    void aStopChecksThenCheckpointsAndEndsEarly() {
        Recorder body = new Recorder();
        body.stop = StopSignal.none();
        body.stopAfter = 2;
        List<String> heard = new ArrayList<>();
        RunLoop.Outcome o = run(body, new Cadence(6, 4, 0), heard);
        assertEquals(List.of("e0", "s1", "s2", "x2", "c2"), body.calls);
        assertEquals(List.of("started 0", "checkpointed 2", "finished 2 true"), heard);
        assertTrue(o.stopped());
        assertEquals(Path.of("step-2"), o.checkpoint());
    }

    @Test
    void aStopOnAPeriodicCheckpointNeedsNoExtraCheck() {
        Recorder body = new Recorder();
        body.stop = StopSignal.none();
        body.stopAfter = 2;
        run(body, new Cadence(6, 4, 2), new ArrayList<>());
        assertEquals(List.of("e0", "s1", "s2", "c2"), body.calls);
        assertFalse(body.calls.contains("x2"));
    }

    /** The run package sits below both loops: it imports neither them nor the CLI. */
    @Test
    void theRunPackageImportsNoLoopAndNoCli() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/curlab/run"))) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    assertFalse(line.matches("import dev\\.curlab\\.(train|rl|cli)\\..*"), f + ": " + line);
                }
            }
        }
    }
}
