package dev.curlab.select.softq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tiny runs of the real command line with {@code --selector soft-q}. */
class SoftQCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] SMALL = {"--context", "16", "-N", "4", "-M", "4", "--heldout-windows", "16",
        "--eval-windows", "8", "--eval-every", "10", "--no-progress", "--overwrite"};
    static final String[] FIELDS = {"td_loss", "td_target", "soft_value", "q_mean", "q_std", "q_selected",
        "policy_entropy", "policy_entropy_norm", "effective_examples"};

    @TempDir
    Path tmp;

    private static String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--selector", "soft-q", "--steps", "20", "--out", out.toString(),
                "--il-cache", out.resolveSibling("il-cache").toString()));   // the prior's IL model, kept in the test's directory
        a.addAll(List.of(SMALL));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Path run) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> m = JSON.readValue(line, Map.class);
            if ("step".equals(m.get("kind"))) {
                out.add(m);
            }
        }
        return out;
    }

    private static int quietly(String... args) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            return Main.run(args);
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void trainsAndLogsTheSoftQFields() throws Exception {
        Path run = tmp.resolve("base");
        assertEquals(0, quietly(args(run)));
        List<Map<String, Object>> steps = steps(run);
        assertEquals(20, steps.size());
        assertFalse(steps.get(0).containsKey("td_loss"), "step 1 is the bootstrap step");
        for (Map<String, Object> s : steps.subList(1, 20)) {
            for (String f : FIELDS) {
                assertTrue(s.get(f) instanceof Number, f + " in " + s);
            }
            assertTrue(s.keySet().stream().anyMatch(k -> k.startsWith("policy_mass_")), "policy_mass_<source>");
        }
        assertEquals(20, ((Number) steps.get(19).get("examples_trained")).intValue());
    }

    /** --paper-exact restores every paper setting the product defaults change; an explicit option still wins. */
    @Test
    @SuppressWarnings("unchecked")
    void paperExactRestoresThePapersSettings() throws Exception {
        Path run = tmp.resolve("paper");
        assertEquals(0, quietly(args(run, "--steps", "2", "--paper-exact", "--tau", "0.5")));
        Map<String, Object> cfg = (Map<String, Object>) JSON.readValue(run.resolve("config.json").toFile(), Map.class).get("config");
        Map<String, Object> q = (Map<String, Object>) ((Map<String, Object>) cfg.get("selectorSettings")).get("softQ");
        SoftQConfig p = SoftQConfig.PAPER;
        assertEquals(p.gamma(), ((Number) q.get("gamma")).doubleValue());
        assertEquals(p.features(), q.get("features"));
        assertEquals(p.rewardNorm().spelling(), q.get("rewardNorm"));
        assertEquals(p.qInitScale(), ((Number) q.get("qInitScale")).doubleValue());
        assertEquals(1, ((Number) q.get("replay")).intValue());
        assertEquals(1, ((Number) q.get("tdUpdates")).intValue());
        assertEquals(1, ((Number) q.get("replayBatch")).intValue());
        assertEquals(0.0, ((Number) q.get("targetEntropy")).doubleValue());
        assertEquals(0.5, ((Number) q.get("tau")).doubleValue());
        assertEquals(true, q.get("paperExact"));
        assertEquals("sgd", cfg.get("optimizer"), "the paper's SGDSTEP: a plain gradient step on the LM");
        assertEquals("sgd", JSON.readTree(run.resolve("checkpoints/step-00000002/state.json").toFile()).get("optimizer").asText());
    }

    /** Soft mixture with B = 2 and running reward norm, resumed from its step-10 checkpoint. */
    @Test
    void softMixtureRunResumesOnTheSameTrajectory() throws Exception {
        Path run = tmp.resolve("mix");
        assertEquals(0, quietly(args(run, "--soft-mixture", "--microbatch", "2", "--select-batch", "2",
                "--reward-norm", "running", "--checkpoint-every", "10")));
        List<Map<String, Object>> straight = steps(run);
        assertEquals(20 * 4, ((Number) straight.get(19).get("examples_trained")).intValue(), "N examples per step");
        double eff = ((Number) straight.get(19).get("effective_examples")).doubleValue();
        assertTrue(eff >= 1 && eff <= 4, "1 <= 1/sum pi^2 <= N, got " + eff);
        try (Stream<Path> s = Files.walk(run.resolve("checkpoints/step-00000020"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals(0, quietly("train", "--resume", run.toString(), "--no-progress"));
        List<Map<String, Object>> resumed = steps(run);
        assertEquals(20, resumed.size());
        for (int i = 10; i < 20; i++) {
            for (String f : new String[] {"selected_source", "reward", "td_loss", "q_mean", "soft_value", "effective_examples"}) {
                assertEquals(straight.get(i).get(f), resumed.get(i).get(f), "step " + (i + 1) + " " + f);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--beta 0        | --beta must be > 0, got 0.0",
        "--beta -1       | --beta must be > 0, got -1.0",
        "--gamma 1       | --gamma must be in [0, 1) (0 = contextual bandit), got 1.0",
        "--tau 0         | --tau must be in (0, 1], got 0.0",
        "--q-hidden 0    | --q-hidden must be >= 1, got 0",
        "--reward-norm z | --reward-norm: expected none, running or ema, got 'z'",
        "--explore-floor 2 | --explore-floor must be in [0, 1], got 2.0",
        "--paper-exact --reward paired-delta | --paper-exact uses the absolute reward (eq. 1); drop --reward paired-delta",
        "--paper-exact --select-batch 2 | --paper-exact trains on one action per step; drop --select-batch 2",
        "--paper-exact --optimizer adamw | --paper-exact takes plain gradient steps on the LM (SGDSTEP, eq. 8); drop --optimizer adamw",
        "--paper-exact --explore-floor 0.1 | --paper-exact samples from the plain Boltzmann policy; drop --explore-floor 0.1",
        "--paper-exact --reward-norm running | --paper-exact uses the raw reward; drop --reward-norm running",
        "--paper-exact --q-init-scale 0.01 | --paper-exact uses the plain Q-network init; drop --q-init-scale 0.01",
        "--paper-exact --q-features hidden+loss | --paper-exact reads the hidden state only; drop --q-features hidden+loss",
        "--paper-exact --td-updates 2 | --paper-exact makes one TD update on the newest transition; drop --replay, --td-updates, --replay-batch",
        "--q-features h  | --q-features: expected one of hidden, hidden+loss, hidden+loss+raw, hidden+loss+entropy, hidden+loss+align, hidden+loss+reducible, got 'h'",
        "--replay-batch 300 | --replay-batch must be in [1, --replay (256)], got 300",
        "--target-entropy 1 | --target-entropy must be in [0, 1) (0 = fixed --beta), got 1.0",
    })
    void badOptionsExitTwoWithAOneLineMessage(String options, String message) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        int code;
        try {
            List<String> a = new ArrayList<>(List.of(args(tmp.resolve("bad"))));
            a.addAll(List.of(options.trim().split("\\s+")));
            code = quietly(a.toArray(String[]::new));
        } finally {
            System.setErr(err);
        }
        assertEquals(2, code);
        assertEquals("curlab: error: " + message, captured.toString().strip());
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing is written on a bad option");
    }
}
