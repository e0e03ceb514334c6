package dev.curlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hand-written run directories for report tests: a 1-layer, d = 4, T = 4 model, N = 2 candidates,
 * M = 1, one example trained per step, evals every 2 steps of 4.
 * C_forward = 2 * (2*4*1*(8+16)) + 2*1*4*4 + 2*4*8 (tied head, V = 8) = 480 FLOPs per token; a
 * step costs scoring 2*4*480 = 3840 + update 3*4*480 = 5760 + reward 1*4*480 = 1920 = 11520
 * (absolute reward), or 13440 with paired-delta.
 */
final class HandRuns {
    static final double STEP_FLOPS = 11520;
    static final double STEP_FLOPS_PAIRED = 13440;

    private HandRuns() {
    }

    /** Writes a run with eval losses at steps 0, 2, 4; extra is appended to every step line. */
    static Path write(Path root, String selector, long seed, String reward, double[] evalLoss, String extra) throws IOException {
        return write(root, selector, seed, reward, evalLoss, extra, Map.of());
    }

    /** As above, with per-source eval losses: {@code bySource} maps a source to its losses at steps 0, 2, 4. */
    static Path write(Path root, String selector, long seed, String reward, double[] evalLoss, String extra,
            Map<String, double[]> bySource) throws IOException {
        Path dir = root.resolve(selector).resolve("seed" + seed);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, """
                {"config": {"data": "builtin:mixture", "context": 4, "steps": 4, "candidates": 2, "heldoutBatch": 1,
                  "evalWindows": 2, "evalEvery": 2, "selector": "%s", "seed": %d, "reward": "%s"},
                 "resolved": {"model": {"layers": 1, "d_model": 4, "heads": 1, "context": 4, "vocab": 8}}}
                """, selector, seed, reward));
        List<String> lines = new ArrayList<>();
        String[] sources = {"arithmetic", "noise", "grammar", "arithmetic"};
        for (int step = 0; step <= 4; step++) {
            if (step > 0) {
                lines.add(String.format(Locale.ROOT, "{\"kind\":\"step\",\"step\":%d,\"examples_trained\":%d,\"candidates_seen\":%d,"
                        + "\"lr\":0.001,\"train_loss\":%.1f,\"grad_norm\":1.0,\"reward\":%.1f,\"heldout_logprob\":-4.0,"
                        + "\"selected_source\":\"%s\",\"selected_difficulty\":%.1f,\"selected_loss\":4.0%s,\"step_ms\":250.0}",
                        step, step, 2 * step, 5.0 - step * 0.1, -5.0 + step * 0.2, sources[step - 1], 0.1 * step, extra));
            }
            if (step % 2 == 0) {
                double l = evalLoss[step / 2];
                StringBuilder perSource = new StringBuilder();
                for (Map.Entry<String, double[]> e : new TreeMap<>(bySource).entrySet()) {
                    perSource.append(String.format(Locale.ROOT, ",\"eval_loss_%s\":%s", e.getKey(), e.getValue()[step / 2]));
                }
                lines.add(String.format(Locale.ROOT, "{\"kind\":\"eval\",\"step\":%d,\"examples_trained\":%d,\"candidates_seen\":%d,"
                        + "\"eval_loss\":%s,\"eval_ppl\":%s%s}", step, step, 2 * step, l, Math.exp(l), perSource));
            }
        }
        Files.write(dir.resolve("metrics.jsonl"), lines);
        return dir;
    }

    static final String SOFTQ = ",\"q_mean\":-4.2,\"q_std\":0.3,\"td_loss\":0.01,\"policy_entropy_norm\":0.9,\"soft_value\":-3.0,"
            + "\"policy_mass_arithmetic\":0.6,\"policy_mass_noise\":0.4";
}
