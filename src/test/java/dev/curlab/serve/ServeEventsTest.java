package dev.curlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.curlab.report.tensorboard.EventDecoder;
import dev.curlab.report.tensorboard.EventFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TensorBoard events file in --state: one event per applied update with hand-computed values; a restart writes only new updates. */
class ServeEventsTest {
    @TempDir
    Path tmp;

    private static JsonNode update(DurableService s, String body) {
        JsonNode n = Requests.parse(body.getBytes(StandardCharsets.UTF_8));
        s.update(Requests.update(n), n);
        return Requests.parse(s.state(false));
    }

    private static List<Path> eventFiles(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(EventFile.PREFIX)).sorted().toList();
        }
    }

    private static void assertScalar(double want, EventDecoder.Event e, String tag) {
        assertTrue(e.scalars().containsKey(tag), tag + " missing at step " + e.step() + ": " + e.scalars());
        assertEquals((float) want, e.scalars().get(tag), tag + " at step " + e.step());
    }

    @Test
    void eachAppliedUpdateIsOneEventAndARestartRepeatsNone() throws Exception {
        Path st = tmp.resolve("st");
        ServeConfig cfg = DurableServiceTest.cfg(st, "learnability-history");
        JsonNode after1;
        JsonNode after2;
        try (DurableService s = DurableService.open(cfg)) {
            String u1 = "{\"request_id\":\"a\",\"results\":[{\"index\":4,\"acc\":[1,0,1]},{\"index\":5,\"acc\":[0,0,0]}]}";
            after1 = update(s, u1);
            update(s, u1);                                                            // a repeat: no event
            after2 = update(s, "{\"request_id\":\"b\",\"results\":[{\"index\":6,\"acc\":[1,1]}]}");
            // the directory as a kill now would leave it (no snapshot yet: a restart replays the journal)
            Files.createDirectories(tmp.resolve("killed"));
            try (var fs = Files.list(st)) {
                for (Path f : fs.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    Files.copy(f, tmp.resolve("killed").resolve(f.getFileName()));
                }
            }
        }
        List<Path> files = eventFiles(st);
        assertEquals(1, files.size(), files.toString());
        List<EventDecoder.Event> es = EventDecoder.records(files);
        assertEquals(2, es.size(), "one event per applied update");
        EventDecoder.Event e1 = es.get(0);
        EventDecoder.Event e2 = es.get(1);
        assertEquals(1, e1.step());
        assertEquals(2, e2.step());
        assertScalar(1, e1, "serve/updates");
        assertScalar(6, e1, "serve/rollouts");
        assertScalar(2, e1, "serve/successes");
        assertScalar(2.0 / 6, e1, "serve/acc_mean");
        assertScalar(2.0 / 6, e1, "serve/pass_rate");
        assertScalar(0, e1, "serve/duplicate_updates");
        assertScalar(2, e1, "serve/problems_attempted");
        assertScalar(2, e2, "serve/updates");
        assertScalar(8, e2, "serve/rollouts");
        assertScalar(4, e2, "serve/successes");
        assertScalar(1.0, e2, "serve/acc_mean");                                       // this update's acc only
        assertScalar(4.0 / 8, e2, "serve/pass_rate");
        assertScalar(1, e2, "serve/duplicate_updates");
        assertScalar(3, e2, "serve/problems_attempted");
        // the curator's metrics as /v1/state reports them after that update; NaN (no pick yet) left out
        assertScalar(after1.get("curator_metrics").get("curator_buckets").doubleValue(), e1, "curator/curator_buckets");
        assertScalar(after2.get("curator_metrics").get("curator_buckets").doubleValue(), e2, "curator/curator_buckets");
        assertFalse(e2.scalars().containsKey("curator/curator_mean_learnability"), e2.scalars().toString());

        assertFalse(Files.exists(tmp.resolve("killed").resolve(StateDir.SNAPSHOT)));
        restartWritesOnlyTheNewUpdate(st, cfg, files.get(0), es, 0);                     // after a clean stop (snapshot)
        restartWritesOnlyTheNewUpdate(tmp.resolve("killed"), DurableServiceTest.cfg(tmp.resolve("killed"), "learnability-history"),
                tmp.resolve("killed").resolve(files.get(0).getFileName()), es, 3);         // after a kill (journal replayed)
    }

    private static void restartWritesOnlyTheNewUpdate(Path st, ServeConfig cfg, Path first, List<EventDecoder.Event> es, int replayed)
            throws Exception {
        try (DurableService s = DurableService.open(cfg)) {
            assertEquals(replayed, s.replayed());
            update(s, "{\"request_id\":\"c\",\"results\":[{\"index\":7,\"acc\":[0,1]}]}");
        }
        List<Path> files = List.of(first);
        List<Path> now = eventFiles(st);
        assertEquals(2, now.size(), "a new file for the new process: " + now);
        assertEquals(es, EventDecoder.records(List.of(files.get(0))), "the first file is left as it was");
        Path second = now.stream().filter(p -> !p.equals(files.get(0))).findFirst().orElseThrow();
        List<EventDecoder.Event> more = EventDecoder.records(List.of(second));
        assertEquals(1, more.size(), "only the update made after the restart");
        assertEquals(3, more.get(0).step());
        assertScalar(3, more.get(0), "serve/updates");
        assertScalar(10, more.get(0), "serve/rollouts");
        assertScalar(0.5, more.get(0), "serve/acc_mean");
        assertScalar(5.0 / 10, more.get(0), "serve/pass_rate");
    }

    @Test
    void scalarsLeaveOutNaNAndSpreadMapsOfNumbers() {
        Map<String, Object> counters = Map.of("update_calls", 3L, "sample_calls", 1L, "rollouts", 0L, "successes", 0L,
                "problems_attempted", 0, "duplicate_updates", 0L);
        List<EventFile.Scalar> s = ServeEvents.scalars(counters, 0.25, new java.util.LinkedHashMap<>(Map.of("m", Double.NaN,
                "by", Map.of("x", 2.5), "label", "text")));
        Map<String, Float> byTag = new java.util.HashMap<>();
        s.forEach(x -> byTag.put(x.tag(), x.value()));
        assertEquals(0.25f, byTag.get("serve/acc_mean"));
        assertEquals(2.5f, byTag.get("curator/by/x"));
        assertFalse(byTag.containsKey("serve/pass_rate"), "no rollouts yet: no pass rate");
        assertFalse(byTag.containsKey("curator/m"));
        assertFalse(byTag.containsKey("curator/label"));
        assertEquals(8, s.size(), byTag.toString());
    }
}
