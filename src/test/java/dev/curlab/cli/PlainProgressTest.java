package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child process whose output is a pipe (no terminal): plain progress lines, never a
 * carriage return, every eval value labelled with the step it was measured at.
 */
class PlainProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINE = Pattern.compile(
            "train: step (\\d+)/(\\d+) \\(\\d+%\\)  loss \\d+\\.\\d{3}  eval_ppl (\\S+) \\(step (\\d+)\\)  elapsed \\S+");

    @TempDir
    Path tmp;

    static Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The run's eval lines: step -> eval_loss. */
    @SuppressWarnings("unchecked")
    static Map<Long, Double> evals(Path run) throws IOException {
        Map<Long, Double> out = new java.util.TreeMap<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<String, Object> m = JSON.readValue(l, Map.class);
            if ("eval".equals(m.get("kind"))) {
                out.put(((Number) m.get("step")).longValue(), ((Number) m.get("eval_loss")).doubleValue());
            }
        }
        return out;
    }

    static List<String> argsWithProgress(Path out, int steps, int evalEvery) {
        List<String> a = RunFiles.tinyArgs(out, steps);
        a.remove("--no-progress");
        a.set(a.indexOf("--eval-every") + 1, String.valueOf(evalEvery));
        return a;
    }

    /** Checks every progress line of {@code said}; returns them. */
    static List<Matcher> progressLines(String said, Map<Long, Double> evals) {
        List<Matcher> lines = new ArrayList<>();
        for (String line : said.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (line.startsWith("train: step")) {
                assertTrue(m.matches(), "plain progress line: " + line);
                long step = Long.parseLong(m.group(1));
                long evalStep = Long.parseLong(m.group(4));
                long latest = evals.keySet().stream().filter(s -> s <= step).max(Long::compare).orElseThrow();
                assertEquals(latest, evalStep, "the newest evaluation at step " + step + ": " + line);
                assertEquals(String.format(Locale.ROOT, "%.2f", Math.exp(evals.get(evalStep))), m.group(3), line);
                lines.add(m);
            }
        }
        return lines;
    }

    @Test
    void intoAPipeAFinishedRunPrintsOnePlainLineEveryFivePercent() throws Exception {
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("run.log");
        Process p = child(argsWithProgress(out, 40, 15), log);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS));
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), said);
        assertFalse(said.contains("\r"), "no carriage returns into a pipe");
        List<Matcher> lines = progressLines(said, evals(out));
        assertEquals(20, lines.size(), said);                      // every 2 steps of 40
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(String.valueOf(2 * (i + 1)), lines.get(i).group(1));
        }
        assertTrue(said.contains(String.format(Locale.ROOT, "finished 40 steps; eval_loss %.4f (step 40)",
                evals(out).get(40L))), said);
    }

    @Test
    void afterSigtermTheStoppedMessageNamesTheStepOfItsLastEvaluation() throws Exception {
        Path out = tmp.resolve("stopped");
        Path log = tmp.resolve("stopped.log");
        Process p = child(argsWithProgress(out, 400, 25), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (InterruptAndResumeTest.stepLines(out) < 40) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "child ended or too slow");
            Thread.sleep(20);
        }
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String said = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(said.contains("\r"), said);
        long steps = InterruptAndResumeTest.stepLines(out);
        Map<Long, Double> evals = evals(out);
        long last = evals.keySet().stream().max(Long::compare).orElseThrow();
        assertTrue(last <= steps && last > 0, "steps " + steps + ", evals " + evals.keySet());
        progressLines(said, evals);
        Matcher m = Pattern.compile("stopped after (\\d+) steps; last eval at step (\\d+): eval_loss (\\S+), eval_ppl (\\S+)")
                .matcher(said);
        assertTrue(m.find(), said);
        assertEquals(steps, Long.parseLong(m.group(1)));
        assertEquals(last, Long.parseLong(m.group(2)));
        assertEquals(String.format(Locale.ROOT, "%.4f", evals.get(last)), m.group(3));
    }
}
