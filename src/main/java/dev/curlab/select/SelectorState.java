package dev.curlab.select;

import ai.djl.ndarray.NDArray;
import dev.curlab.util.Rng;
import java.util.Map;

/**
 * A selector's checkpointable state: JSON-serialisable values (numbers, strings, lists, maps) and
 * named tensors (network weights, optimizer moments, a pending hidden state).
 */
public record SelectorState(Map<String, Object> values, Map<String, NDArray> tensors) {

    public static SelectorState empty() {
        return new SelectorState(Map.of(), Map.of());
    }

    /** The state of a selector whose only state is its random generator. */
    public static SelectorState ofRng(Rng rng) {
        return new SelectorState(Map.of("rng", rng.state()), Map.of());
    }

    /** Restores what {@link #ofRng} saved into {@code rng}. */
    public void restoreRng(Rng rng) {
        rng.setState(((Number) values.get("rng")).longValue());
    }
}
