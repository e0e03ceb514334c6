package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.pytorch.jni.JniUtils;
import dev.curlab.select.SelectorSettings;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** greats with B = 2 keeps N head gradients per step: the live native arrays must not grow with the steps. */
class GreatsMemoryTest {
    @TempDir
    Path tmp;

    static TrainConfig tiny(long steps) {
        return TrainConfig.builder().data("builtin:mixture").tokenizer("bytes").context(32)
                .steps(steps).candidates(4).heldoutBatch(4).heldoutWindows(16).evalWindows(8).evalEvery(10)
                .selector("greats").selectorSettings(new SelectorSettings(2, null, null)).seed(7).reward("absolute").build();
    }

    @Test
    void nativeMemoryStaysFlatWithTheGramMatrix() {
        ai.djl.engine.Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            int[] live = new int[2];
            long[] steps = {10, 60};
            for (int i = 0; i < 2; i++) {
                try (Trainer t = Trainer.start(tiny(steps[i]), tmp.resolve("run" + i), false, RunListener.SILENT,
                        StopSignal.none())) {
                    t.run();
                    live[i] = t.liveArrays();
                }
            }
            assertEquals(live[0], live[1], "live native arrays must not grow with the number of steps");
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }
}
