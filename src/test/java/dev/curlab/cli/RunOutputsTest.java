package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.select.catalog.Selectors;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a finished run leaves behind, checked against what the docs promise (docs/runs.md). */
class RunOutputsTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    @TempDir
    static Path tmp;
    static final TreeSet<String> CORE = new TreeSet<>();
    static final TreeSet<String> SELECTOR_KEYS = new TreeSet<>();

    /** A tiny run of every registered selector, collecting the metric keys each writes. */
    @BeforeAll
    static void runEverySelector() throws Exception {
        for (String selector : Selectors.names()) {
            if (selector.equals("first-candidate")) {
                continue; // a test-only selector other tests register
            }
            List<String> args = RunFiles.tinyArgs(tmp.resolve(selector), 3);
            args.addAll(List.of("--selector", selector, "--eval-every", "2", "--il-steps", "2"));
            assertEquals(0, Main.run(args.toArray(String[]::new)), selector);
            for (Map<String, Object> line : lines(tmp.resolve(selector))) {
                (selector.equals("random") ? CORE : SELECTOR_KEYS).addAll(line.keySet());
            }
        }
        SELECTOR_KEYS.removeAll(CORE);
    }

    @Test
    void aFinishedTrainRunHasItsReport() throws Exception {
        Path report = tmp.resolve("random").resolve("report.html");
        assertTrue(Files.isRegularFile(report), "train writes report.html at the end of a run");
        String html = Files.readString(report);
        assertTrue(html.contains("<h1>curlab report: random</h1>") && html.contains("<h3>Eval loss vs examples trained</h3>"), html);
    }

    @Test
    void everyMetricTheTrainerWritesIsInTheMetricsTable() throws Exception {
        String runs = Files.readString(Path.of("docs/runs.md"));
        String table = runs.substring(runs.indexOf("### Metrics"), runs.indexOf("## Use from Java"));
        List<Pattern> documented = documented(table);
        List<String> missing = CORE.stream().filter(k -> documented.stream().noneMatch(p -> p.matcher(k).matches())).toList();
        assertEquals(List.of(), missing, "metrics written by a random run but missing from docs/runs.md's Metrics table");
    }

    @Test
    void everySelectorsMetricIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/runs.md")) + Files.readString(Path.of("docs/soft-q-results.md"))
                + Files.readString(Path.of("docs/selectors.md"))
                + Files.readString(Path.of("docs/soft-q.md"));
        List<Pattern> documented = documented(docs);
        List<String> missing = SELECTOR_KEYS.stream().filter(k -> documented.stream().noneMatch(p -> p.matcher(k).matches())).toList();
        assertEquals(List.of(), missing, "selector metrics documented nowhere (docs/runs.md, docs/soft-q-results.md, docs/selectors.md, docs/soft-q.md)");
    }

    /** Every `name` in backticks, with a {@code <placeholder>} standing for any suffix. */
    static List<Pattern> documented(String text) {
        List<Pattern> out = new ArrayList<>();
        Matcher m = Pattern.compile("`([a-z0-9_<>]+)`").matcher(text);
        while (m.find()) {
            out.add(Pattern.compile(Pattern.quote(m.group(1)).replaceAll("<[a-z]+>", "\\\\E.+\\\\Q")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lines(Path run) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JSON.readValue(line, Map.class));
        }
        return out;
    }
}
