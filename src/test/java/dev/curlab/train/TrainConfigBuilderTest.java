package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.eval.DownstreamSchedule;
import dev.curlab.run.RunDirectory;
import dev.curlab.select.SelectorSettings;
import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

/** The builder holds the defaults once; toBuilder copies every field; build() validates like the constructor. */
class TrainConfigBuilderTest {
    @Test
    void theBuildersDefaultsAreTheProductDefaults() {
        TrainConfig expected = new TrainConfig("builtin:mixture", null, null, "auto", "nano", 64,
                1000, 16, 16, 512, 128, 100,
                "random", SelectorSettings.DEFAULT, 8,
                TrainConfig.LmOptimizer.ADAMW, 1e-3, TrainConfig.Schedule.CONSTANT, 0, 0.1, 0.2,
                1.0, 0.01,
                0, 0, TrainConfig.OnNonfinite.STOP, TrainConfig.Reward.AUTO, null, 0, TrainConfig.DEFAULT_SHUFFLE_BUFFER, 0, DownstreamSchedule.NONE);
        assertEquals(expected, TrainConfig.defaults("builtin:mixture"));
        assertEquals(expected, TrainConfig.builder().data("builtin:mixture").build());
    }

    @Test
    void toBuilderCopiesEveryFieldAndChangesOnlyWhatIsSet() {
        TrainConfig a = TrainConfig.builder().data("d.jsonl").heldout("h.jsonl").model("pico").context(16).steps(7).seed(3)
                .selector("loss").lr(5e-4).shuffleBuffer(0).budgetFlops(1e12).scheduleSteps(9).reward("paired-delta").build();
        assertEquals(a, a.toBuilder().build());
        TrainConfig b = a.toBuilder().selector("soft-q").seed(4).build();
        assertEquals("soft-q", b.selector());
        assertEquals(4, b.seed());
        assertEquals(a, b.toBuilder().selector("loss").seed(3).build());
    }

    @Test
    void continuedToKeepsTheScheduleHorizon() {
        TrainConfig a = TrainConfig.builder().data("builtin:mixture").steps(100).build();
        TrainConfig c = a.continuedTo(150);
        assertEquals(150, c.steps());
        assertEquals(100, c.horizon());
        assertEquals(a, c.toBuilder().steps(100).scheduleSteps(0).build());
    }

    @Test
    void optionValuesAreTypedAndWrittenAsTheirSpellings() throws Exception {
        TrainConfig c = TrainConfig.builder().data("builtin:mixture").optimizer("sgd").onNonfinite("skip").build();
        assertEquals(TrainConfig.LmOptimizer.SGD, c.optimizer());
        assertEquals(TrainConfig.OnNonfinite.SKIP, c.onNonfinite());
        String json = RunDirectory.JSON.writeValueAsString(c);
        com.fasterxml.jackson.databind.JsonNode tree = RunDirectory.JSON.readTree(json);
        assertEquals("sgd", tree.get("optimizer").textValue());                 // the strings config.json always held
        assertEquals("skip", tree.get("onNonfinite").textValue());
        assertEquals(c, RunDirectory.JSON.readValue(json, TrainConfig.class));
        assertEquals("--optimizer: unknown optimizer 'adam' (expected sgd or adamw)",
                assertThrows(UserError.class, () -> TrainConfig.builder().optimizer("adam")).getMessage());
        assertEquals("paired-delta", RunDirectory.JSON.valueToTree(c.toBuilder().reward("paired-delta").build()).get("reward").textValue());
        assertEquals("--reward: expected auto, absolute or paired-delta, got 'delta'",
                assertThrows(UserError.class, () -> TrainConfig.builder().reward("delta")).getMessage());
        assertEquals("--lr-schedule: unknown schedule 'step' (expected one of constant, cosine, linear, wsd, rex)",
                assertThrows(UserError.class, () -> TrainConfig.builder().lrSchedule("step")).getMessage());
        assertEquals("wsd", RunDirectory.JSON.valueToTree(c.toBuilder().lrSchedule("wsd").build()).get("lrSchedule").textValue());
        assertEquals("--on-nonfinite: expected stop or skip, got 'ignore'",
                assertThrows(UserError.class, () -> TrainConfig.builder().onNonfinite("ignore")).getMessage());
    }

    @Test
    void buildValidatesWithTheOptionsName() {
        UserError e = assertThrows(UserError.class, () -> TrainConfig.builder().data("builtin:mixture").steps(0).build());
        assertEquals("--steps must be >= 1, got 0", e.getMessage());
        assertEquals("--data is required", assertThrows(UserError.class, () -> TrainConfig.builder().build()).getMessage());
    }
}
