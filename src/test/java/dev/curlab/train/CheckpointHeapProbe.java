package dev.curlab.train;

import dev.curlab.run.CheckpointStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Run in a child JVM with a small heap: writes a checkpoint of {@code args[1]} tensors of
 * {@code args[2]} floats each into run directory {@code args[0]}, reads it back, and exits 0 when
 * every value came back.
 */
public final class CheckpointHeapProbe {
    private CheckpointHeapProbe() {
    }

    public static void main(String[] args) {
        Path run = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int floats = Integer.parseInt(args[2]);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> group = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                group.put("t" + i, m.arange(0f, (float) floats, 1f).add(i).reshape(new Shape(floats / 1000, 1000)));
            }
            Path dir = new CheckpointStore(run).write(1, Map.of("optimizer", group), Map.of("loop", "probe"));
            CheckpointStore.Loaded back = CheckpointStore.load(dir, m);
            for (int i = 0; i < count; i++) {
                NDArray a = back.tensors().get("optimizer").get("t" + i);
                if (!a.getShape().equals(new Shape(floats / 1000, 1000)) || a.getFloat(0, 0) != i || a.getFloat(floats / 1000 - 1, 999) != floats - 1 + i) {
                    System.exit(1);
                }
            }
        }
        System.exit(0);
    }
}
