package dev.curlab.select.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.pytorch.jni.JniUtils;
import dev.curlab.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every baseline through the real command line: 20 steps on builtin data and on labelled JSONL files. */
class BaselinesCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] SOURCES = {"arith", "prose", "lists"};

    /** selector -> a metric field it must add to every step line. */
    static final Map<String, String> OWN_METRIC = Map.of(
            "loss", "candidate_loss_mean", "uncertainty", "candidate_entropy_mean", "competence", "competence_c",
            "rho-loss", "il_forward_tokens", "alp-bandit", "alp_source", "oracle-mixture", "oracle_source");

    @TempDir
    static Path tmp;

    private static int threads;

    /**
     * These runs are tiny, so they go single-threaded: on a busy 2-core machine two intra-op threads
     * spinning against each other made this class ~15x slower (measured 173 s against 12 s).
     */
    @BeforeAll
    static void oneThread() {
        ai.djl.engine.Engine.getInstance();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (String selector : OWN_METRIC.keySet()) {
            out.add(Arguments.of(selector, "builtin"));
            out.add(Arguments.of(selector, "jsonl"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runs")
    void runsTwentyStepsAndWritesItsMetrics(String selector, String data) throws IOException {
        Path out = tmp.resolve(selector + "-" + data);
        List<String> args = new ArrayList<>(common(selector, out));
        if (data.equals("builtin")) {
            // noise windows carry no difficulty: competence's auto mode scores them by token rarity
            args.addAll(List.of("--data", "builtin:mixture"));
        } else {
            args.addAll(List.of("--data", jsonl("train.jsonl", 60, true).toString(),
                    "--heldout", jsonl("heldout.jsonl", 40, true).toString(), "--tokenizer", "bytes"));
        }
        Captured r = run(args.toArray(String[]::new));
        assertEquals(0, r.code, r.err);
        List<Map<?, ?>> steps = new ArrayList<>();
        int evals = 0;
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            Map<?, ?> m = JSON.readValue(line, Map.class);
            if (m.get("kind").equals("step")) {
                steps.add(m);
            } else {
                evals++;
            }
        }
        assertEquals(20, steps.size());
        assertEquals(3, evals, "eval at steps 0, 10 and 20");
        for (Map<?, ?> m : steps) {
            assertTrue(m.containsKey(OWN_METRIC.get(selector)), selector + " metrics line lacks " + OWN_METRIC.get(selector) + ": " + m);
            if (selector.equals("competence")) {
                // auto: labelled files score by the label, the builtin mixture (noise unlabelled) by rarity
                double score = ((Number) m.get("selected_difficulty_score")).doubleValue();
                Object label = m.get("selected_difficulty");
                assertEquals(data.equals("jsonl"), label != null && score == ((Number) label).doubleValue(), m.toString());
            }
            if (selector.equals("oracle-mixture") && ((Number) m.get("oracle_fallbacks")).intValue() == 0) {
                String s = (String) m.get("selected_source");
                assertTrue(!s.equals("noise") && !s.equals("duplicates"), "oracle picked " + s);
            }
        }
        if (selector.equals("rho-loss")) {
            assertEquals(3L * 8 * 32, ((Number) steps.get(0).get("il_train_tokens")).longValue());
            assertTrue(!steps.get(1).containsKey("il_train_tokens"), "il_train_tokens is logged once");
        }
    }

    /** A run resumed from its step-10 checkpoint repeats the uninterrupted run's steps 11..20 exactly. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"competence", "alp-bandit", "loss"})
    void resumedRunContinuesExactly(String selector) throws IOException {
        Path full = tmp.resolve("resume-" + selector);
        List<String> args = new ArrayList<>(common(selector, full));
        // with noise, competence runs in rarity mode: its unigram counts and rarities must survive the restart
        args.addAll(List.of("--data", "builtin:mixture?noise=0.2", "--checkpoint-every", "10", "--loss-temperature", "0.5"));
        assertEquals(0, run(args.toArray(String[]::new)).code);
        Path copy = tmp.resolve("resume-" + selector + "-copy");
        copyTree(full, copy);
        deleteTree(copy.resolve("checkpoints/step-00000020"));
        Captured r = run("train", "--resume", copy.toString(), "--no-progress");
        assertEquals(0, r.code, r.err);
        List<Map<String, Object>> expected = stepsWithoutTimings(full);
        List<Map<String, Object>> resumed = stepsWithoutTimings(copy);
        assertEquals(20, resumed.size());
        for (int i = 0; i < 20; i++) {
            assertEquals(expected.get(i), resumed.get(i), "step " + (i + 1));
        }
    }

    static List<Map<String, Object>> stepsWithoutTimings(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(line, Map.class);
            if (m.get("kind").equals("step")) {
                m.keySet().removeIf(k -> k.endsWith("_ms"));
                out.add(m);
            }
        }
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aSelectorNeedingLabelsExitsTwoOnUnlabelledData() throws IOException {
        Path out = tmp.resolve("unlabelled");
        List<String> args = new ArrayList<>(common("competence", out));
        args.addAll(List.of("--competence-difficulty", "label"));
        Path plain = jsonl("plain.jsonl", 60, false);
        args.addAll(List.of("--data", plain.toString(), "--heldout", jsonl("plain-heldout.jsonl", 40, false).toString(),
                "--tokenizer", "bytes"));
        Captured r = run(args.toArray(String[]::new));
        assertEquals(2, r.code, r.err);
        // names the first window of the (shuffled) stream by its id within the file
        assertTrue(r.err.strip().matches(java.util.regex.Pattern.quote("curlab: error: --selector competence needs a 'difficulty' label on every"
                + " training window, but --data " + plain + " has a window without one (window ") + "\\d+\\)"), r.err);

        args.set(args.indexOf("competence"), "oracle-mixture");
        args.set(args.indexOf(out.toString()), tmp.resolve("unlabelled-oracle").toString());
        r = run(args.toArray(String[]::new));
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.strip().startsWith("curlab: error: --selector oracle-mixture needs 'source' labels"), r.err);
    }

    @Test
    void helpListsEveryBaselineAndItsOptions() {
        Captured r = run("train", "--help");
        assertEquals(0, r.code);
        for (String name : OWN_METRIC.keySet()) {
            assertTrue(r.out.contains("  " + name + " "), "--help lacks " + name);
        }
        for (String option : List.of("--loss-temperature", "--competence-c0", "--competence-steps", "--competence-difficulty",
                "--il-steps", "--il-cache", "--alp-window", "--alp-epsilon")) {
            assertTrue(r.out.contains(option), "--help lacks " + option);
        }
        Captured bad = run("train", "--selector", "loss", "--alp-epsilon", "2", "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code);
        assertEquals("curlab: error: --alp-epsilon must be in [0, 1], got 2.0", bad.err.strip());
        bad = run("train", "--selector", "competence", "--competence-difficulty", "length", "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code);
        assertEquals("curlab: error: --competence-difficulty: expected auto, label or rarity, got 'length'", bad.err.strip());
    }

    static List<String> common(String selector, Path out) {
        return List.of("train", "--selector", selector, "--steps", "20", "--eval-every", "10", "--out", out.toString(),
                "--no-progress", "--context", "32", "-N", "4", "-M", "2", "--heldout-windows", "8", "--eval-windows", "4",
                "--il-steps", "3", "--il-cache", tmp.resolve("il-cache").toString());
    }

    /** A JSONL file of short documents, with source and difficulty fields when {@code labelled}. */
    static Path jsonl(String name, int lines, boolean labelled) throws IOException {
        Path f = tmp.resolve(name);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String text = "document " + i + ": " + "the quick brown fox jumps over the lazy dog ".substring(0, 10 + i % 30);
            sb.append("{\"text\": ").append(JSON.writeValueAsString(text));
            if (labelled) {
                sb.append(", \"source\": \"").append(SOURCES[i % 3]).append("\", \"difficulty\": ").append(1 + i % 4);
            }
            sb.append("}\n");
        }
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    record Captured(int code, String out, String err) {
    }

    static synchronized Captured run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Captured(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
