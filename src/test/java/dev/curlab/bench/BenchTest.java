package dev.curlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.cli.Main;
import dev.curlab.eval.Flops;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTest {
    @TempDir
    Path tmp;

    @Test
    void phaseFlopsMatchAHandCount() {
        // nano, T = 8, V = 257: blocks 2 * 12 * 2 * 64^2 = 196,608; attention 2 * 2 * 8 * 64 = 2,048;
        // head 2 * 64 * 257 = 32,896 -> 231,552 FLOPs per token.
        double perToken = Flops.forwardPerToken(2, 64, 8, 257);
        assertEquals(231_552.0, perToken, 0);
        Flops.Breakdown f = Flops.step(perToken, 8, 4, 1, 3, true, 0, 0, 0);
        assertEquals(231_552.0 * 4 * 8, f.scoring(), 0);          // N = 4 windows of 8 tokens, forward
        assertEquals(3 * 231_552.0 * 1 * 8, f.update(), 0);       // one window, forward + backward
        assertEquals(2 * 231_552.0 * 3 * 8, f.reward(), 0);       // M = 3, paired: before and after
    }

    @Test
    void quantilesInterpolate() {
        PhaseStats p = PhaseStats.of("x", new double[] {4, 1, 3, 2, 5}, 2.0);
        assertEquals(3.0, p.medianMs(), 0);
        assertEquals(1.4, p.p10Ms(), 1e-12);
        assertEquals(4.6, p.p90Ms(), 1e-12);
        assertEquals(2.0 / 0.003, p.gflops(), 1e-9);
    }

    @Test
    void benchRunsAndWritesWellFormedJson() throws Exception {
        Path json = tmp.resolve("bench.json");
        int code = Main.run("bench", "--model", "nano", "--context", "16", "--tokenizer", "bytes", "-N", "4", "-M", "4",
                "--steps", "5", "--warmup", "1", "--gemm-size", "128", "--selector", "random", "--json", json.toString());
        assertEquals(0, code);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        for (String key : new String[] {"ceiling_gflops", "step_gflops", "fraction_of_ceiling", "selector_overhead_share", "rss_mb"}) {
            assertTrue(root.get(key).isNumber() && root.get(key).asDouble() > 0 || key.equals("selector_overhead_share"), key + ": " + root.get(key));
        }
        double share = root.get("selector_overhead_share").asDouble();
        assertTrue(share >= 0 && share < 1, "overhead share " + share);
        assertEquals(root.get("step_gflops").asDouble() / root.get("ceiling_gflops").asDouble(),
                root.get("fraction_of_ceiling").asDouble(), 1e-12);
        // random's charge per example over the 5 measured steps: 5 updates (3 x 16 tokens x P) and, on the last
        // step (which ends in an evaluation), the reward measured for the log (absolute: M = 4 windows x 16 tokens)
        double p = 233_600;
        assertEquals(3 * 16 * p, root.get("random_flop_per_example").asDouble(), 1e-6);
        assertEquals((5 * 3 * 16 * p + 4 * 16 * p) / 5, root.get("charged_flop_per_example").asDouble(), 1e-3);
        assertEquals((5 * 3 + 4) / 15.0, root.get("cost_vs_random").asDouble(), 1e-12);
        JsonNode phases = root.get("phases");
        for (String phase : new String[] {"data", "scoring", "selection", "lm_update", "reward", "q_update", "logging", "checkpoint (once)"}) {
            assertTrue(phases.has(phase), "phase " + phase + " in " + phases);
            assertTrue(phases.get(phase).get("p10_ms").asDouble() <= phases.get(phase).get("p90_ms").asDouble());
        }
        // By hand, nano (2 layers, d 64), T = 16, V = 257: blocks 2 * 12 * 2 * 64^2 = 196,608, attention
        // 2 * 2 * 16 * 64 = 4,096, head 2 * 64 * 257 = 32,896 -> 233,600 FLOPs per token forward.
        // random runs no scoring pass: 0. LM update: one window, forward + backward: 11,212,800. Reward: measured
        // for the log on the last of the 5 measured steps only (M = 4 windows of 16 tokens): 14,950,400 / 5.
        assertEquals(0.0, phases.get("scoring").get("gflop").asDouble(), 1e-12);
        assertEquals(0.00299008, phases.get("reward").get("gflop").asDouble(), 1e-12);
        assertEquals(0.0112128, phases.get("lm_update").get("gflop").asDouble(), 1e-12);
        // Resident memory, against the kernel's own count for this process (the bench ran in it): positive
        // and no more than its peak so far.
        double peakMb = ResidentMemoryPeak.vmHwmMb();
        assertTrue(root.get("rss_mb").asDouble() <= peakMb + 1, "rss " + root.get("rss_mb") + " <= VmHWM " + peakMb);
        assertTrue(root.get("peak_rss_mb").asDouble() <= peakMb + 1, "peak rss " + root.get("peak_rss_mb") + " <= VmHWM " + peakMb);
        assertTrue(root.get("rss_mb").asDouble() > 0 && root.get("peak_rss_mb").asDouble() >= root.get("rss_mb").asDouble());
        assertEquals(2, Main.run("bench", "--steps", "0"));
    }

    /** VmHWM (peak resident set) of this process from /proc/self/status, read here without curlab's code. */
    static final class ResidentMemoryPeak {
        static double vmHwmMb() throws java.io.IOException {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("no VmHWM in /proc/self/status");
        }
    }
}
