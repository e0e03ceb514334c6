package dev.curlab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A run's metrics.jsonl read back: its step lines and its eval lines. */
public record MetricsFile(List<Map<String, Object>> steps, List<Map<String, Object>> evals) {
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    public static MetricsFile read(Path file) {
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Map<String, Object>> evals = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> m;
                try {
                    m = JSON.readValue(line, Map.class);
                } catch (IOException e) {
                    throw new UserError(file + " line " + n + ": not a JSON object");
                }
                ("eval".equals(m.get("kind")) ? evals : steps).add(m);
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        return new MetricsFile(steps, evals);
    }

    /** A numeric field of every line that has it (NaN where missing or not a number). */
    public static double[] column(List<Map<String, Object>> lines, String field) {
        double[] out = new double[lines.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = lines.get(i).get(field);
            out[i] = v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return out;
    }
}
