package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.run.CheckpointStore;
import dev.curlab.run.RunListener;
import dev.curlab.run.StopSignal;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint format is versioned: a state.json that names no version (the format's earliest
 * files) resumes as version 1, to the very metrics of an intact resume; one of a newer version is
 * refused with a hint, not skipped for an older checkpoint.
 */
class CheckpointVersionTest {

    @TempDir
    Path tmp;

    private static TrainConfig config(long steps) {
        return TrainerTest.tiny("builtin:mixture", null, steps).toBuilder().selector("random").build();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }

    @Test
    void aCheckpointWithoutVersionResumesAsVersionOneAndANewerVersionIsRefused() throws IOException {
        Path intact = tmp.resolve("intact");
        try (Trainer t = Trainer.start(config(2), intact, false, RunListener.SILENT, StopSignal.none())) {
            t.run();
        }
        Path old = tmp.resolve("old");
        copy(intact, old);
        RunFiles.editState(old, 2, st -> {
            assertEquals(CheckpointStore.VERSION, st.remove("version"));   // as the format's earliest files were written
        });
        for (Path run : List.of(intact, old)) {
            try (Trainer t = Trainer.resume(run, 4, RunListener.SILENT, StopSignal.none())) {
                assertEquals(2, t.run().steps() - 2);
            }
        }
        assertEquals(RunFiles.metricsWithoutTimes(intact), RunFiles.metricsWithoutTimes(old));

        RunFiles.editState(old, 4, st -> st.put("version", 99));
        UserError e = assertThrows(UserError.class, () -> Trainer.resume(old, 6, RunListener.SILENT, StopSignal.none()));
        assertTrue(e.getMessage().contains("step-00000004 is in curlab-checkpoint format version 99, newer than this curlab reads (version 1);"
                + " resume it with the curlab that wrote it, or a newer one"), e.getMessage());
    }
}
