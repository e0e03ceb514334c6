package dev.curlab.select;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of one metrics line, in insertion order. Selectors add their own fields here. */
public final class StepMetrics {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private double[] candidateValues;

    /**
     * The value a selector assigns to each candidate this step (e.g. soft-q's Q-values); the trainer
     * logs the texts of the highest- and lowest-valued candidates at evaluation steps.
     */
    public void candidateValues(double[] values) {
        this.candidateValues = values.clone();
    }

    /** What {@link #candidateValues(double[])} recorded, or {@code null}. */
    public double[] candidateValues() {
        return candidateValues;
    }

    public StepMetrics put(String name, Object value) {
        if (value instanceof Double d && !Double.isFinite(d)) {
            fields.put(name, d.isNaN() ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"));
        } else if (value instanceof Float f && !Float.isFinite(f)) {
            fields.put(name, f.isNaN() ? "NaN" : (f > 0 ? "Infinity" : "-Infinity"));
        } else {
            fields.put(name, value);
        }
        return this;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public Map<String, Object> asMap() {
        return fields;
    }
}
