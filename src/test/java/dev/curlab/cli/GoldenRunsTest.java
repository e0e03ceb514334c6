package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour is unchanged by refactoring: the metrics of a fixed set of tiny runs of both settings,
 * resumed ones included, equal the files written before a change (src/test/resources/golden,
 * written by this test with {@code -Dcurlab.golden.write=true}). Every key of a golden line must be
 * present with the same value (numbers within a relative 1e-4, for last bits); keys a later version
 * adds are allowed, since a new metric is not a changed trajectory. Timings, and whether the IL model
 * came from the user's cache, are left out.
 *
 * <p>PyTorch picks its CPU kernels by the instruction set (AVX-512 or AVX2), and their rounding differs
 * enough to change a sampled token, so a trajectory is only comparable on the kind of CPU that wrote
 * it: the goldens live in {@code golden/<kind>/} (see {@link #cpuKind()}), and on a kind with no goldens the test is skipped
 * with a line saying so (write them there from the code before a change, then compare after it).
 */
@SuppressWarnings("unchecked")
class GoldenRunsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden", cpuKind());
    /** Keys that say where a run found something, not what it computed (the IL model's cache depends on the machine). */
    private static final java.util.Set<String> ENVIRONMENT = java.util.Set.of("il_cached");
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path warm;

    @BeforeAll
    static void warmStart() {
        warm = tmp.resolve("warm");
        assertEquals(0, Main.run("train", "--data", "builtin:arith-sft?families=add:1", "--steps", "150", "-N", "16",
                "--select-batch", "16", "--lr", "3e-3", "--eval-every", "150", "--out", warm.toString(), "--no-progress"));
    }

    private static List<String> train(String selector, Path out, int steps) {
        return new ArrayList<>(List.of("train", "--data", "builtin:mixture", "--selector", selector, "--model", "nano",
                "--steps", Integer.toString(steps), "-N", "8", "-M", "8", "--eval-every", "3", "--checkpoint-every", "3",
                "--seed", "3", "--out", out.toString(), "--no-progress"));
    }

    private static List<String> rl(String curator, Path out, int steps) {
        return new ArrayList<>(List.of("rl", "--tasks", "builtin:arith?families=add:1", "--init-from", warm.toString(),
                "--curator", curator, "--steps", Integer.toString(steps), "-N", "16", "-B", "4", "-G", "4", "--max-new", "6",
                "--heldout", "16", "--eval-every", "3", "--checkpoint-every", "3", "--lr", "1e-3", "--seed", "2",
                "--out", out.toString(), "--no-progress"));
    }

    @Test
    void trainRandom() throws IOException {
        Path out = tmp.resolve("random");
        assertEquals(0, Main.run(train("random", out, 9).toArray(String[]::new)));
        check("train-random", out);
    }

    @Test
    void trainSoftQResumed() throws IOException {
        Path out = tmp.resolve("soft-q");
        assertEquals(0, Main.run(train("soft-q", out, 3).toArray(String[]::new)));
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--steps", "6", "--no-progress"));
        check("train-soft-q-resumed", out);
    }

    @Test
    void rlUniform() throws IOException {
        Path out = tmp.resolve("rl-uniform");
        assertEquals(0, Main.run(rl("uniform", out, 6).toArray(String[]::new)));
        check("rl-uniform", out);
    }

    @Test
    void rlAlpGmmResumed() throws IOException {
        Path out = tmp.resolve("rl-alp-gmm");
        assertEquals(0, Main.run(rl("alp-gmm", out, 3).toArray(String[]::new)));
        assertEquals(0, Main.run("rl", "--resume", out.toString(), "--steps", "6", "--no-progress"));
        check("rl-alp-gmm-resumed", out);
    }

    private static void check(String name, Path run) throws IOException {
        List<Map<String, Object>> now = RunFiles.metricsWithoutTimes(run);
        Path file = GOLDEN.resolve(name + ".jsonl");
        if (Boolean.getBoolean("curlab.golden.write")) {
            Files.createDirectories(GOLDEN);
            StringBuilder sb = new StringBuilder();
            for (Map<String, Object> m : now) {
                sb.append(JSON.writeValueAsString(m)).append('\n');
            }
            Files.writeString(file, sb);
            return;
        }
        Assumptions.assumeTrue(Files.exists(file), "no goldens for this CPU kind (" + GOLDEN + "): write them with -Dcurlab.golden.write=true from the code before a change");
        List<Map<String, Object>> golden = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            golden.add(JSON.readValue(line, Map.class));
        }
        assertEquals(golden.size(), now.size(), name + ": number of metrics lines");
        for (int i = 0; i < golden.size(); i++) {
            for (Map.Entry<String, Object> e : golden.get(i).entrySet()) {
                if (ENVIRONMENT.contains(e.getKey())) {
                    continue;
                }
                Object v = now.get(i).get(e.getKey());
                if (!same(e.getValue(), v)) {
                    fail(name + " line " + (i + 1) + " (" + golden.get(i).get("kind") + " step " + golden.get(i).get("step")
                            + "): " + e.getKey() + " was " + e.getValue() + ", now " + v);
                }
            }
        }
    }

    /** Numbers within a relative 1e-4 (absolute 1e-7 near zero), lists and maps element-wise, anything else equal. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            double p = x.doubleValue();
            double q = y.doubleValue();
            return p == q || Math.abs(p - q) <= 1e-4 * Math.max(Math.abs(p), Math.abs(q)) + 1e-7;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!same(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /**
     * The kind of CPU, as far as PyTorch's rounding goes: the kernel family it dispatches to
     * ({@code avx512} where the CPU has AVX-512 F, BW, VL and DQ, ATen's AVX512 capability; {@code avx2}
     * where it has AVX2 and FMA; else {@code default}), then the vendor, family and model numbers, since
     * the math libraries pick their paths by those too; e.g. {@code avx512-AuthenticAMD-25-17}.
     */
    static String cpuKind() {
        Map<String, String> info = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (line.isBlank()) {
                    break;                                           // the first processor is enough
                }
                if (colon > 0) {
                    info.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        java.util.Set<String> flags = java.util.Set.of(info.getOrDefault("flags", "").split("\\s+"));
        String isa = flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq")) ? "avx512"
                : flags.containsAll(List.of("avx2", "fma")) ? "avx2" : "default";
        return isa + "-" + info.getOrDefault("vendor_id", "?") + "-" + info.getOrDefault("cpu family", "?") + "-"
                + info.getOrDefault("model", "?");
    }
}
