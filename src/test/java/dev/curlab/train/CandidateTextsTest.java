package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.Window;
import dev.curlab.cli.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateTextsTest {
    @TempDir
    Path tmp;

    static Window window(String text, String source) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] t = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            t[i] = b[i] & 0xff;
        }
        return new Window(0, t, source, Double.NaN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void topAndBottomByValueWithTheirText() {
        List<Window> w = List.of(window("alpha", "a"), window("bravo", "b"), window("charlie", "c"), window("delta", "d"));
        Map<String, Object> line = new LinkedHashMap<>();
        CandidateTexts.put(line, w, new double[] {0.5, -2.0, 3.0, 1.0}, new ByteTokenizer());
        List<Map<String, Object>> top = (List<Map<String, Object>>) line.get("top_candidates");
        List<Map<String, Object>> bottom = (List<Map<String, Object>>) line.get("bottom_candidates");
        assertEquals(List.of("charlie", "delta", "alpha"), top.stream().map(e -> e.get("text")).toList());
        assertEquals(List.of("bravo", "alpha", "delta"), bottom.stream().map(e -> e.get("text")).toList());
        assertEquals(3.0, top.get(0).get("value"));
        assertEquals("b", bottom.get(0).get("source"));
    }

    @Test
    void theLossSelectorsCandidateTextsReachTheMetricsAtEvaluationSteps() {
        Path out = tmp.resolve("loss");
        List<String> args = RunFiles.tinyArgs(out, 10);
        args.addAll(List.of("--selector", "loss"));
        assertEquals(0, Main.run(args.toArray(String[]::new)));
        List<Integer> withTexts = new ArrayList<>();
        for (Map<String, Object> m : RunFiles.metricsWithoutTimes(out)) {
            if (m.containsKey("top_candidates")) {
                withTexts.add(((Number) m.get("step")).intValue());
            }
        }
        assertEquals(List.of(1, 10), withTexts, "texts at the first step and at every evaluation step");
    }
}
