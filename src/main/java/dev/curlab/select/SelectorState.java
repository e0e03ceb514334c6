package dev.curlab.select;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A selector's checkpointable state: JSON-serialisable values (numbers, strings, lists, maps) and
 * named tensors (network weights, optimizer moments, a pending hidden state).
 */
public record SelectorState(Map<String, Object> values, Map<String, NDArray> tensors) {

    public static SelectorState empty() {
        return new SelectorState(Map.of(), Map.of());
    }
}
