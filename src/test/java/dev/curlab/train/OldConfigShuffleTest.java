package dev.curlab.train;

import dev.curlab.run.RunDirectory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run saved before --shuffle-buffer existed resumes with the in-order stream it was trained on. */
class OldConfigShuffleTest {
    @Test
    void aConfigWithoutTheFieldReadsZeroAndANewOneKeepsIt() {
        TrainConfig cfg = TrainConfig.defaults("data/train.jsonl");
        assertEquals(TrainConfig.DEFAULT_SHUFFLE_BUFFER, cfg.shuffleBuffer());
        @SuppressWarnings("unchecked")
        Map<String, Object> saved = RunDirectory.JSON.convertValue(cfg, Map.class);
        assertEquals(cfg, RunDirectory.JSON.convertValue(saved, TrainConfig.class));
        saved.remove("shuffleBuffer");
        assertEquals(cfg.toBuilder().shuffleBuffer(0).build(), RunDirectory.JSON.convertValue(saved, TrainConfig.class));
    }
}
