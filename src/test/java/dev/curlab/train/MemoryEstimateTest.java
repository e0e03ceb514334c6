package dev.curlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.model.GptConfig;
import dev.curlab.select.SelectorSettings;
import dev.curlab.select.softq.SoftQConfig;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The memory estimate's components against byte counts worked out by hand, and the refusal built from them. */
class MemoryEstimateTest {
    /** nano (2 layers, d 64, 2 heads), T 64, the byte vocabulary: 120,640 parameters (README's table). */
    private static final GptConfig NANO = GptConfig.preset("nano", 64, 257);

    private static Map<String, Double> parts(TrainConfig cfg, GptConfig shape) {
        return MemoryEstimate.of(cfg, shape).parts().stream()
                .collect(Collectors.toMap(MemoryEstimate.Part::name, MemoryEstimate.Part::bytes, Double::sum));
    }

    private static TrainConfig with(String selector, int n, int context, String model) {
        return TrainConfig.builder().data("builtin:mixture").model(model).context(context).candidates(n).selector(selector).build();
    }

    @Test
    void randomOnNanoByHand() {
        assertEquals(120_640, NANO.parameterCount());
        Map<String, Double> p = parts(with("random", 16, 64, "nano"), NANO);
        assertEquals(2 * 4 * 120_640.0, p.get("parameters and gradients"));
        assertEquals(2 * 4 * 120_640.0, p.get("optimizer moments"), "AdamW's m and v");
        assertEquals(0.0, p.get("irreducible-loss model"));
        assertEquals(0.0, p.get("head alignment sums"));
        // One block keeps 60 C + 4 H T = 3840 + 512 = 4352 floats per token.
        assertEquals(4352.0, MemoryEstimate.blockFloatsPerToken(NANO));
        // No-grad pass over 16 windows: 1024 tokens; ids 16 B each; (2 x 64 + 4352) floats; two 1024 x 257 head arrays.
        assertEquals(16_384 + 4.0 * 1024 * 4480 + 4.0 * 1024 * 257 * 2, MemoryEstimate.pass(NANO, 16, false, false));
        assertEquals(20_471_808.0, MemoryEstimate.pass(NANO, 16, false, false));
        // The update on one window: 64 tokens, three blocks' worth (two kept, one of gradients) + 3 C, four (64, 257) arrays.
        assertEquals(1024 + 4.0 * 64 * (3 * 4352 + 192) + 4.0 * 64 * 257 * 4, MemoryEstimate.training(NANO, 1));
        // The largest phase is the evaluation pass over 32 windows (2048 tokens), not the step (update + reward pass over M = 16).
        double eval = 32_768 + 4.0 * 2048 * 4480 + 4.0 * 2048 * 257 * 2;
        assertEquals(eval, p.get("evaluation pass"));
        assertTrue(eval > MemoryEstimate.training(NANO, 1) + MemoryEstimate.pass(NANO, 16, false, false));
        // Heap: a window is an int[65] (16 + 260 bytes, rounded to 280) and a 32-byte object.
        assertEquals(312.0, MemoryEstimate.windowBytes(64));
        assertEquals(6 * 16 * 312.0, p.get("windows read ahead"), "the queue of 4N, the step's N and one N being read");
        assertEquals((512 + 128) * 312.0, p.get("held-out and evaluation pools"));
        assertEquals(1024 * (16 + 12) + 16 * 66 * 4.0, p.get("step token and per-row arrays"));
        // Checkpoints are streamed one tensor at a time: the largest, wte (257 x 64), as floats and as bytes.
        assertEquals(2 * 4 * 257 * 64.0, p.get("checkpoint tensor in flight"));
    }

    @Test
    void softQDefaultsAddTheAlignmentTheIlModelTheQNetworksAndTheReplay() {
        Map<String, Double> p = parts(with("soft-q", 16, 64, "nano"), NANO);
        assertEquals(3 * 4 * 64 * 257.0, p.get("head alignment sums"), "G_D^T, the target sums copied in, one product in flight");
        assertEquals(4 * 64 * 257.0, p.get("head alignment target sum"));
        assertEquals(4 * 4 * 120_640.0, p.get("irreducible-loss model"), "parameters, gradients and AdamW's moments while it trains");
        // Q input 64 + 1 (hidden+loss), width 32: 65 x 32 + 32 + 32 + 1 = 2145 parameters, five copies.
        assertEquals(5 * 4 * 2145.0, p.get("Q-networks"));
        // First-order credit: 16 transitions a step, the buffer holds 256 of 65 floats each (gamma 0: no next state).
        assertEquals(256 * (4 * 65 + 64.0), p.get("replay buffer"));
        assertEquals(2 * 4 * 32 * 65.0, p.get("TD minibatch"), "32 rows of 65 floats, as a Java array and a tensor");
        SoftQConfig q = SoftQConfig.DEFAULT;
        SoftQConfig gamma = q.toBuilder().gamma(0.9).softMixture(false).targetEntropy(0.0).credit("pick").nstep(1).build();
        // With gamma > 0 each transition also keeps the next step's 16 rows and 16 prior logits.
        assertEquals(256 * (4 * (65 + 16 * 66) + 64.0), MemoryEstimate.replay(gamma, with("soft-q", 16, 64, "nano"), 16, 64));
        assertEquals(2 * 4 * 32 * (65 + 16 * 65.0), MemoryEstimate.minibatch(gamma, 16, 64));
    }

    @Test
    void theAttentionMapsMakeALongContextQuadratic() {
        GptConfig longer = GptConfig.preset("nano", 100_000, 257);
        assertEquals(60.0 * 64 + 4.0 * 2 * 100_000, MemoryEstimate.blockFloatsPerToken(longer));
        // 16 windows of 100,000 tokens: 4 bytes x 1.6e6 tokens x 800,128 floats alone is 5.1 TB.
        assertTrue(MemoryEstimate.pass(longer, 16, false, false) > 5.1e12);
    }

    @Test
    void aConfigurationThatFitsIsAccepted() {
        MemoryBudget.Limits limits = new MemoryBudget.Limits(2e9, 8e9, "MemAvailable 8.0 GB");
        assertNull(MemoryBudget.problem(with("soft-q", 16, 64, "nano"), NANO, limits));
    }

    @Test
    void tooManyCandidatesAreRefusedWithTheLargestNThatFits() {
        MemoryBudget.Limits limits = new MemoryBudget.Limits(2e9, 8e9, "MemAvailable 8.0 GB");
        TrainConfig cfg = with("random", 100_000, 64, "nano");
        String msg = MemoryBudget.problem(cfg, NANO, limits);
        assertTrue(msg.startsWith("this run needs about "), msg);
        assertTrue(msg.contains(" of memory (estimated; largest part: step peak (scoring pass) "), msg);
        assertTrue(msg.contains("but 8.0 GB is available (MemAvailable 8.0 GB)"), msg);
        int n = Integer.parseInt(msg.replaceAll(".*; -N (\\d+) or --context (\\d+) would fit$", "$1"));
        int t = Integer.parseInt(msg.replaceAll(".*; -N (\\d+) or --context (\\d+) would fit$", "$2"));
        assertTrue(MemoryEstimate.of(cfg, NANO, n).totalBytes() <= 8e9, "the N offered fits");
        assertTrue(MemoryEstimate.of(cfg, NANO, n + 1).totalBytes() > 8e9, "and is the largest");
        GptConfig at = GptConfig.preset("nano", t, 257);
        GptConfig over = GptConfig.preset("nano", t + 1, 257);
        assertTrue(MemoryEstimate.of(cfg, at).totalBytes() <= 8e9 && MemoryEstimate.of(cfg, over).totalBytes() > 8e9);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void aGpt2CheckpointFitsA2GbHeapAndATooSmallHeapIsSaidAsSuch() {
        GptConfig gpt2 = GptConfig.preset("gpt2", 64, 50_257);
        TrainConfig cfg = with("random", 4, 64, "gpt2");
        // 123.7M parameters: AdamW's m and v are 0.99 GB, but a checkpoint streams one tensor at a time; the
        // largest, wte (50,257 x 768), is 154 MB of floats and as many bytes: 309 MB in flight.
        assertEquals(2 * 4 * 50_257 * 768.0, MemoryEstimate.of(cfg, gpt2).parts().stream()
                .filter(x -> x.name().equals("checkpoint tensor in flight")).findFirst().orElseThrow().bytes());
        assertNull(MemoryBudget.problem(cfg, gpt2, new MemoryBudget.Limits(2e9, 64e9, "MemTotal 64 GB")));
        String msg = MemoryBudget.problem(cfg, gpt2, new MemoryBudget.Limits(0.3e9, 64e9, "MemTotal 64 GB"));
        // 309 MB in flight + the JVM's 64 MB base + the step's small arrays
        assertTrue(msg.startsWith("this run needs about 373 MB of Java heap (estimated; largest part: checkpoint tensor in flight 309 MB), "
                + "but the heap may only grow to 300 MB (raise it with CURLAB_JAVA_OPTS=-Xmx...)"), msg);
        assertTrue(msg.endsWith("; no smaller -N or --context fits: use a smaller --model or more memory"), msg);
    }

    @Test
    void theUpdatesHeadIsChargedInChunksAboveTheBudget() {
        GptConfig gpt2 = GptConfig.preset("gpt2", 128, 50_257);
        // one window of 128 tokens: 25.7 MB of logits, within the 32 MiB budget: logits, log-probabilities, two gradients
        assertEquals(4.0 * 128 * 50_257 * 4, MemoryEstimate.updateHead(gpt2, 128));
        // 8 windows: 206 MB would not fit; chunks of floor(33,554,432 / (4 x 50,257)) = 166 rows, plus G_h (1024 x 768) and G_W (50,257 x 768)
        assertEquals(4.0 * 166 * 50_257 * 4 + 4.0 * 1024 * 768 + 4.0 * 50_257 * 768, MemoryEstimate.updateHead(gpt2, 1024));
    }
}
