package dev.curlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers for run directories: metrics lines without their wall-clock fields. */
public final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {
    }

    /** metrics.jsonl as maps, with every *_ms / *_sec field removed. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> metricsWithoutTimes(Path runDir) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                Map<String, Object> m = new LinkedHashMap<>(JSON.readValue(line, Map.class));
                m.keySet().removeIf(k -> k.endsWith("_ms") || k.endsWith("_sec"));
                out.add(m);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Common tiny training flags for fast CLI runs on builtin data. */
    public static List<String> tinyArgs(Path out, int steps) {
        return new ArrayList<>(List.of("train", "--steps", String.valueOf(steps), "--context", "32", "-N", "4", "-M", "4",
                "--heldout-windows", "16", "--eval-windows", "8", "--eval-every", "10", "--no-progress",
                "--out", out.toString()));
    }

    /** Rewrites the state.json of {@code run}'s checkpoint at {@code step} through {@code edit} (old and newer formats in tests). */
    @SuppressWarnings("unchecked")
    public static void editState(Path run, long step, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        Path file = run.resolve(String.format("checkpoints/step-%08d/state.json", step));
        Map<String, Object> st = JSON.readValue(file.toFile(), Map.class);
        edit.accept(st);
        Files.write(file, JSON.writeValueAsBytes(st));
    }
}
