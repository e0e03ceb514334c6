package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.model.GptConfig;
import dev.curlab.train.MemoryBudget;
import dev.curlab.train.MemoryEstimate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The RL memory estimate: what grows with G, --max-new and --heldout, and the two refusals (memory, heap). */
class RlMemoryTest {
    static final GptConfig NANO = GptConfig.preset("nano", 64, 256);

    private static double part(List<MemoryEstimate.Part> parts, String prefix) {
        return parts.stream().filter(p -> p.name().startsWith(prefix)).mapToDouble(MemoryEstimate.Part::bytes).sum();
    }

    @Test
    void tokenArraysGrowWithMaxNewAndTheLargerOfRolloutsAndHeldout() {
        RlConfig d = RlConfig.builder().build();                             // B 8, G 8, heldout 200, max-new 12
        double rows = Math.max(8 * 8, 200);
        assertEquals(rows * (64 + 12) * 12, part(RlMemory.estimate(d, NANO), "generation token arrays"), 1e-6);
        RlConfig longer = d.toBuilder().maxNew(1_000_000).build();
        assertEquals(rows * (64 + 1_000_000.0) * 12, part(RlMemory.estimate(longer, NANO), "generation token arrays"), 1e-3);
        assertEquals(256 * (64.0 + 200), part(RlMemory.estimate(d, NANO), "problems"), 1e-6);
        assertEquals(4 * 4.0 * NANO.parameterCount(), part(RlMemory.estimate(d, NANO), "policy, gradients"), 1e-6);
    }

    @Test
    void refusalsNameTheLargestPartAndWhatIsShort() {
        RlConfig d = RlConfig.builder().build();
        List<MemoryEstimate.Part> parts = RlMemory.estimate(d, NANO);
        assertNull(RlMemory.problem(parts, new MemoryBudget.Limits(4e9, 16e9, "MemTotal 16.0 GB")));
        String heap = RlMemory.problem(parts, new MemoryBudget.Limits(1e6, 16e9, "MemTotal 16.0 GB"));
        assertTrue(heap.startsWith("this RL run needs about ") && heap.contains("of Java heap") && heap.contains("CURLAB_JAVA_OPTS=-Xmx"), heap);
        RlConfig huge = d.toBuilder().group(1_000_000).build();
        String memory = RlMemory.problem(RlMemory.estimate(huge, NANO), new MemoryBudget.Limits(4e9, 16e9, "MemTotal 16.0 GB"));
        assertTrue(memory.contains("largest part: GRPO update on -B x -G = 8000000 sequences"), memory);
        assertTrue(memory.contains("but 16.0 GB is available (MemTotal 16.0 GB)"), memory);
    }
}
