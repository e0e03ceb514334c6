package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.train.TrainConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-of-run lines name each strategy's resolved settings. */
class ConfigSummaryTest {
    @Test
    void aCuratorsResolvedSettingsArePrintedInItsOrder() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("tasks", "builtin:arith");
        cfg.put("curator", "dapo?max-gen-batches=3");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("gen-batch", 8);
        settings.put("max-gen-batches", 3);
        List<String> lines = ConfigSummary.lines("rl", cfg, Map.of("curator", settings), 0);
        assertEquals("  curator settings: gen-batch 8, max-gen-batches 3", lines.get(2));
        assertEquals(4, lines.size());
        assertEquals(3, ConfigSummary.lines("rl", cfg, Map.of("curator", Map.of()), 0).size());   // none: no line
    }

    @Test
    void theSoftQSelectorsSettingsArePrinted() {
        TrainConfig c = TrainConfig.builder().data("builtin:mixture").selector("soft-q").build();
        List<String> lines = ConfigSummary.lines("train", c, null, 0);
        assertEquals(true, lines.get(2).startsWith("  soft-q settings: beta 0.3, gamma 0.0, tau 0.01, qLr 0.001,"), lines.get(2));
        assertEquals(true, lines.get(2).contains("credit first-order, prior reducible"), lines.get(2));
        assertEquals(3, ConfigSummary.lines("train", TrainConfig.defaults("builtin:mixture"), null, 0).size());
    }
}
