package dev.curlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.cli.Main;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench --rl: tokens per second and the phases' rates from the RL loop's step lines. */
class RlBenchmarkTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> step(long tokens, double sampling, double update, double grad, double sampleMs, double updateMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens_generated", tokens);
        m.put("flops_sampling", sampling);
        m.put("flops_update", update);
        m.put("grad_norm", grad);
        m.put("curate_ms", 1.0);
        m.put("sample_ms", sampleMs);
        m.put("update_ms", updateMs);
        m.put("observe_ms", 0.5);
        return m;
    }

    @Test
    void reducesCumulativeCountsOverTheMeasuredStepsAndTheUpdateOverTheStepsThatUpdated() {
        List<Map<String, Object>> steps = List.of(
                step(100, 1e9, 2e9, 1.0, 500, 900),      // warm-up, left out
                step(250, 3e9, 2e9, 0.0, 100, 0.1),      // every group flat: no update
                step(450, 5e9, 5e9, 2.0, 200, 30),
                step(600, 8e9, 9e9, 0.5, 300, 50));
        RlBenchmark.Result r = RlBenchmark.reduce(steps, 1);
        assertEquals(3, r.measuredSteps());
        assertEquals(2, r.updatedSteps());
        // 500 tokens in 600 ms of sampling
        assertEquals(500 / 0.6, r.tokensPerSecond(), 1e-9);
        assertEquals(500 / 3.0, r.tokensPerStep(), 1e-12);
        // sampling: 7e9 FLOPs over 3 steps; median time 200 ms
        assertEquals(7.0 / 3, r.sample().gflop(), 1e-12);
        assertEquals(200, r.sample().medianMs(), 0);
        // update: (3e9 + 4e9) / 2 over the two steps that updated, median of 30 and 50 ms
        assertEquals(3.5, r.update().gflop(), 1e-12);
        assertEquals(40, r.update().medianMs(), 1e-12);
        assertEquals(3.5 / 0.040, r.update().gflops(), 1e-9);
    }

    @Test
    void benchRlRunsAWarmStartThenTheRlLoopAndWritesJson() throws Exception {
        Path json = tmp.resolve("rl.json");
        assertEquals(0, Main.run("bench", "--rl", "--rl-warm-steps", "5", "--steps", "2", "--warmup", "1", "--gemm-size", "128",
                "--rl-shapes", "pico", "--rl-reps", "1", "--json", json.toString()));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.get("measured_steps").asInt());
        assertTrue(root.get("tokens_per_second").asDouble() > 0, root.toString());
        // every rollout is 1 to 6 tokens: 64 rollouts a step
        double perStep = root.get("tokens_per_step").asDouble();
        assertTrue(perStep >= 64 && perStep <= 6 * 64, root.toString());
        assertEquals(root.get("phases").get("sample").get("gflops").asDouble() / root.get("ceiling_gflops").asDouble(),
                root.get("sampling_fraction_of_ceiling").asDouble(), 1e-12);
        // generation, naive against the KV cache: the policy, then pico with random weights; the same tokens on both paths
        JsonNode gen = root.get("generation");
        assertEquals(2, gen.size(), root.toString());
        assertTrue(gen.get(1).get("label").asText().startsWith("pico"), gen.toString());
        for (JsonNode row : gen) {
            assertTrue(row.get("same_tokens").asBoolean(), row.toString());
            assertEquals(64, row.get("rows").asInt());
            double tokens = row.get("tokens_per_run").asDouble();
            assertTrue(tokens >= 64 && tokens <= 6 * 64, row.toString());
            assertEquals(row.get("naive_ms").asDouble() / row.get("cached_ms").asDouble(), row.get("speedup").asDouble(), 1e-9);
        }
        assertEquals(2, Main.run("bench", "--rl", "--rl-warm-steps", "0"));
        assertEquals(2, Main.run("bench", "--rl", "--rl-shapes", "nano,huge"));
        assertEquals(2, Main.run("bench", "--rl", "--rl-reps", "0"));
    }
}
