package dev.curlab.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.curlab.rl.Banks;
import dev.curlab.rl.LearnabilityHistoryCurator;
import dev.curlab.rl.Problem;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTP against an in-process server: picks, exact accounting, refusals that change nothing, tokens, concurrency. */
class ServeApiTest {
    @TempDir
    Path tmp;

    private static int[] indices(JsonNode reply) {
        return IntStream.range(0, reply.get("problems").size()).map(i -> reply.get("problems").get(i).get("index").intValue()).toArray();
    }

    @Test
    void samplePicksWhatLearnabilityPicksFromTheDrawnCandidates() throws Exception {
        try (ServeServer s = ServeServer.start(Http.config(tmp.resolve("st"), "learnability-history"))) {
            String base = "http://127.0.0.1:" + s.port();
            JsonNode r = Http.post(base, "/v1/sample", "{\"n\":5}").json();
            // independent: the same generators by hand (candidates of serve/candidates, picks of rl/curator)
            Banks.Table bank = Banks.table("builtin:arith", 3, 200);
            int[] cand = Rng.derive(3, "serve/candidates").sampleWithoutReplacement(200, 20);
            List<Problem> cs = new ArrayList<>();
            for (int i : cand) {
                cs.add(bank.problems().get(i));
            }
            int[] pos = new LearnabilityHistoryCurator().pick(0, cs, 5, Rng.derive(3, "rl/curator"));
            assertArrayEquals(IntStream.of(pos).map(p -> cand[p]).toArray(), indices(r));
            JsonNode first = r.get("problems").get(0);
            Problem p = bank.problems().get(first.get("index").intValue());
            assertEquals(p.prompt(), first.get("prompt").textValue());
            assertEquals(p.answer(), first.get("answer").textValue());

            JsonNode c = Http.post(base, "/v1/sample", "{\"n\":2,\"candidates\":[7,9,11],\"with_text\":false}").json();
            assertEquals(2, c.get("problems").size());
            for (int i = 0; i < 2; i++) {
                int pi = c.get("positions").get(i).intValue();
                assertEquals(new int[] {7, 9, 11}[pi], c.get("problems").get(i).get("index").intValue());
                assertFalse(c.get("problems").get(i).has("prompt"));
            }
        }
    }

    @Test
    void aRepeatedRequestIdIsAcknowledgedAndNeverCountedTwice() throws Exception {
        try (ServeServer s = ServeServer.start(Http.config(tmp.resolve("st"), "learnability-history"))) {
            String base = "http://127.0.0.1:" + s.port();
            JsonNode a = Http.post(base, "/v1/sample", "{\"n\":3,\"request_id\":\"s1\"}").json();
            JsonNode again = Http.post(base, "/v1/sample", "{\"n\":3,\"request_id\":\"s1\"}").json();
            assertArrayEquals(indices(a), indices(again));
            assertTrue(again.get("duplicate").booleanValue());
            String body = "{\"request_id\":\"u1\",\"results\":[{\"index\":4,\"acc\":[1,0,1]},{\"index\":4,\"acc\":[1,1,1],\"reward\":[0.5,0.25,1]}]}";
            assertTrue(Http.post(base, "/v1/update", body).json().get("applied").booleanValue());
            JsonNode dup = Http.post(base, "/v1/update", body).json();
            assertFalse(dup.get("applied").booleanValue());
            assertTrue(dup.get("duplicate").booleanValue());
            JsonNode st = Http.get(base, "/v1/state").json();
            JsonNode row = null;
            for (JsonNode x : st.get("table")) {
                if (x.get("index").intValue() == 4) {
                    row = x;
                }
            }
            assertEquals(6, row.get("attempts").longValue());
            assertEquals(5, row.get("successes").longValue());
            assertEquals(1.75, row.get("reward_sum").doubleValue());
            assertEquals(1, st.get("update_calls").longValue());
            assertEquals(1, st.get("duplicate_updates").longValue());
            assertEquals(1, st.get("sample_calls").longValue());
            String metrics = Http.get(base, "/metrics").body();
            assertTrue(metrics.contains("\ncurlab_serve_rollouts_total 6\n"), metrics);
            assertTrue(metrics.contains("\ncurlab_serve_successes_total 5\n"), metrics);
            assertTrue(metrics.contains("curlab_serve_curator_metric{name=\"curator_buckets\"} 1\n"), metrics);
        }
    }

    @Test
    void badRequestsAreRefusedWithOneLineAndChangeNothing() throws Exception {
        try (ServeServer s = ServeServer.start(Http.config(tmp.resolve("st"), "learnability-history"))) {
            String base = "http://127.0.0.1:" + s.port();
            Http.post(base, "/v1/update", "{\"request_id\":\"ok\",\"results\":[{\"index\":1,\"acc\":[1,0]}]}");
            String before = Http.get(base, "/v1/state").body();
            String[][] cases = {
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0]},{\"index\":200,\"acc\":[1,1]}]}", "422",
                    "results[1].index = 200 is not a problem of this bank (indices 0 to 199)"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0]},{\"index\":2,\"acc\":[1]}]}", "422",
                    "results[1].acc has 1 rollouts, results[0].acc 2 (one update reports groups of one size; send other sizes in another update)"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0],\"reward\":[1]}]}", "422",
                    "results[0].reward must be an array of 2 numbers (one per rollout in acc)"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0],\"reward\":[1,NaN]}]}", "422",
                    "results[0].reward[1] must be a finite number, got NaN"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,2]}]}", "422", "results[0].acc[1] must be 0 or 1, got 2"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0.5]}]}", "422", "results[0].acc[1] must be 0 or 1, got 0.5"},
                {"/v1/update", "{\"request_id\":\"x\",\"results\":[{\"index\":1,\"acc\":[1,0],\"adv\":[1,1]}]}", "400",
                    "unknown field 'results[0].adv' (expected acc, index, reward)"},
                {"/v1/update", "{\"results\":[{\"index\":1,\"acc\":[1,0]}]}", "400",
                    "missing field 'request_id' (a client-chosen string; a retry with the same one is not counted twice)"},
                {"/v1/sample", "{\"n\":3,\"size\":2}", "400", "unknown field 'size' (expected candidates, n, request_id, step, with_text)"},
                {"/v1/sample", "{\"n\":0}", "400", "n must be an integer >= 1, got 0"},
                {"/v1/sample", "{\"n\":201}", "422", "n (201) must be <= the bank's 200 problems"},
                {"/v1/sample", "{\"n\":2,\"candidates\":[3,300]}", "422", "candidates[1] = 300 is not a problem of this bank (indices 0 to 199)"},
                {"/v1/sample", "{\"n\":3,\"candidates\":[3,4]}", "422", "n (3) must be <= the number of candidates (2)"},
                {"/v1/sample", "[1,2]", "400", "the body must be a JSON object"},
                {"/v1/sample", "{\"n\":3,\"n\":4}", "400", null},
                {"/v1/sample", "{\"n\":" + "1".repeat(10) + ", \"request_id\":\"" + "x".repeat(5000) + "\"}", "413",
                    "the body is larger than --max-body 4096 bytes; send fewer results per call"},
            };
            for (String[] c : cases) {
                Http.Reply r = Http.post(base, c[0], c[1]);
                assertEquals(Integer.parseInt(c[2]), r.code(), c[1] + " -> " + r.body());
                String reason = r.json().get("error").textValue();
                assertFalse(reason.contains("\n") || reason.contains("Exception") || reason.contains("com.fasterxml"), reason);
                if (c[3] != null) {
                    assertEquals(c[3], reason);
                }
            }
            assertEquals(404, Http.get(base, "/v1/nothing").code());
            assertEquals(405, Http.get(base, "/v1/sample").code());
            assertEquals(before, Http.get(base, "/v1/state").body(), "refused calls changed nothing");
        }
    }

    @Test
    void aTokenIsRequiredBeyondLoopbackAndCheckedOnEveryCall() throws Exception {
        Path token = tmp.resolve("token");
        Files.writeString(token, "s3cret-token-0123456789\n");
        UserError e = assertThrows(UserError.class, () -> new ServeConfig("builtin:arith", "uniform", 0, 10, 4, tmp.resolve("a"),
                "0.0.0.0", 0, null, 4096, 5, 1));
        assertEquals("--host 0.0.0.0 exposes the service beyond this machine; give --token-file FILE (clients send 'Authorization: Bearer TOKEN')",
                e.getMessage());
        ServeConfig cfg = new ServeConfig("builtin:arith", "uniform", 0, 10, 4, tmp.resolve("st"), ServeConfig.LOCALHOST, 0, token, 4096, 5, 1);
        try (ServeServer s = ServeServer.start(cfg)) {
            String base = "http://127.0.0.1:" + s.port();
            String body = "{\"request_id\":\"u\",\"results\":[{\"index\":1,\"acc\":[1]}]}";
            Http.Reply none = Http.post(base, "/v1/update", body);
            assertEquals(401, none.code());
            assertEquals("missing or wrong 'Authorization: Bearer TOKEN'", none.json().get("error").textValue());
            assertEquals(401, Http.post(base, "/v1/update", body, "s3cret-token-012345678").code());
            assertEquals(401, Http.get(base, "/v1/state").code());
            assertEquals(200, Http.get(base, "/healthz").code());
            assertEquals(0, Http.post(base, "/v1/sample", "{\"n\":1}", "s3cret-token-0123456789").json().get("step").intValue());
            assertEquals(200, Http.post(base, "/v1/update", body, "s3cret-token-0123456789").code());
        }
    }

    /**
     * Eight clients post 40 updates each (every other one twice) at a server with eight threads: the
     * table holds exactly the distinct ones, and so does the state replayed from the journal.
     */
    @Test
    void concurrentUpdatesAreSerialisedExactly() throws Exception {
        ServeConfig cfg = new ServeConfig("builtin:arith", "learnability-history", 3, 200, 4, tmp.resolve("st"), ServeConfig.LOCALHOST, 0, null,
                1 << 20, 5, 8);
        String live;
        try (ServeServer s = ServeServer.start(cfg)) {
            String base = "http://127.0.0.1:" + s.port();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int worker = w;
                fs.add(pool.submit(() -> {
                    int bad = 0;
                    for (int k = 0; k < 40; k++) {
                        StringBuilder b = new StringBuilder("{\"request_id\":\"w" + worker + "-" + k + "\",\"results\":[");
                        for (int i = 0; i < 20; i++) {   // problem i: 3 rollouts, i % 4 of them... (at most 3) right
                            b.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"acc\":[")
                                    .append(i % 4 >= 1 ? 1 : 0).append(',').append(i % 4 >= 2 ? 1 : 0).append(',').append(i % 4 >= 3 ? 1 : 0).append("]}");
                        }
                        String body = b.append("]}").toString();
                        bad += Http.post(base, "/v1/update", body).code() == 200 ? 0 : 1;
                        if (k % 2 == 0) {
                            bad += Http.post(base, "/v1/update", body).json().get("duplicate").booleanValue() ? 0 : 1;
                        }
                    }
                    return bad;
                }));
            }
            for (Future<Integer> f : fs) {
                assertEquals(0, f.get());
            }
            pool.shutdown();
            JsonNode st = Http.get(base, "/v1/state").json();
            assertEquals(320, st.get("update_calls").longValue());
            assertEquals(160, st.get("duplicate_updates").longValue());
            assertEquals(480, st.get("journal_seq").longValue(), "each call journaled once, a repeat too");
            assertEquals(320 * 20 * 3, st.get("rollouts").longValue());
            assertEquals(320 * 5 * (0 + 1 + 2 + 3), st.get("successes").longValue());
            Set<Integer> seen = new HashSet<>();
            for (JsonNode row : st.get("table")) {
                int i = row.get("index").intValue();
                seen.add(i);
                assertEquals(320 * 3, row.get("attempts").longValue(), "problem " + i);
                assertEquals(320 * (i % 4), row.get("successes").longValue(), "problem " + i);
            }
            assertEquals(20, seen.size());
            live = Http.get(base, "/v1/state").body();
        }
        try (DurableService replayed = DurableService.open(cfg)) {
            assertEquals(live, new String(replayed.state(true)), "the journal holds every acknowledged call once");
        }
    }

    /**
     * Eight clients on a server with eight threads post 60 updates each to the SAME problem, two
     * clients racing with the same request ids: each id is applied by exactly one reply, the problem's
     * counts are exact, every call is journaled once under its own sequence number, and the journal
     * replays to the live state. Without the lock on the update path the shared counters, the
     * seen-id set and the journal's sequence numbers race (planted: it fails).
     */
    @Test
    void concurrentUpdatesToOneProblemAreCountedOnceEach() throws Exception {
        ServeConfig cfg = new ServeConfig("builtin:arith", "learnability-history", 3, 200, 4, tmp.resolve("st"), ServeConfig.LOCALHOST, 0, null,
                4096, 1 << 20, 8);
        int workers = 8;
        int calls = 60;
        String live;
        java.util.concurrent.ConcurrentHashMap<String, Integer> applied = new java.util.concurrent.ConcurrentHashMap<>();
        try (ServeServer s = ServeServer.start(cfg)) {
            String base = "http://127.0.0.1:" + s.port();
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(workers);
            List<Future<String>> fs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int pair = w / 2;                                       // workers 2j and 2j+1 send the same ids
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int k = 0; k < calls; k++) {
                        String id = "p" + pair + "-" + k;
                        Http.Reply r = Http.post(base, "/v1/update", "{\"request_id\":\"" + id + "\",\"results\":[{\"index\":7,\"acc\":[1,0,1]}]}");
                        if (r.code() != 200) {
                            return id + " -> " + r.code() + " " + r.body();
                        }
                        if (r.json().get("applied").booleanValue()) {
                            applied.merge(id, 1, Integer::sum);
                        } else if (!r.json().get("duplicate").booleanValue()) {
                            return id + " neither applied nor a duplicate: " + r.body();
                        }
                    }
                    return "";
                }));
            }
            for (Future<String> f : fs) {
                assertEquals("", f.get());
            }
            pool.shutdown();
            int distinct = workers / 2 * calls;
            assertEquals(distinct, applied.size(), "every request id applied by some reply");
            applied.forEach((id, n) -> assertEquals(1, n, "request id " + id + " applied " + n + " times"));
            JsonNode st = Http.get(base, "/v1/state").json();
            assertEquals(distinct, st.get("update_calls").longValue());
            assertEquals(workers * calls - distinct, st.get("duplicate_updates").longValue());
            assertEquals(workers * calls, st.get("journal_seq").longValue(), "each call journaled once under its own number");
            assertEquals(distinct * 3L, st.get("rollouts").longValue());
            assertEquals(distinct * 2L, st.get("successes").longValue());
            JsonNode row = null;
            for (JsonNode x : st.get("table")) {
                if (x.get("index").intValue() == 7) {
                    row = x;
                }
            }
            assertEquals(distinct * 3L, row.get("attempts").longValue());
            assertEquals(distinct * 2L, row.get("successes").longValue());
            live = Http.get(base, "/v1/state").body();
            // the journal as the calls left it (closing the server snapshots it), replayed alone in another directory
            Files.createDirectories(tmp.resolve("replay"));
            for (String f : new String[] {StateDir.CONFIG, StateDir.JOURNAL}) {
                Files.copy(tmp.resolve("st").resolve(f), tmp.resolve("replay").resolve(f));
            }
        }
        ServeConfig again = new ServeConfig("builtin:arith", "learnability-history", 3, 200, 4, tmp.resolve("replay"), ServeConfig.LOCALHOST, 0,
                null, 4096, 1 << 20, 8);
        try (DurableService replayed = DurableService.open(again)) {
            assertEquals(workers * calls, replayed.replayed(), "the whole journal replayed (no snapshot in this run)");
            assertEquals(live, new String(replayed.state(true)), "the journal holds every acknowledged call once");
        }
    }

    @Test
    void aJsonlBankIsServedByItsProblemNumbers() throws Exception {
        Path bank = tmp.resolve("bank.jsonl");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            b.append("{\"prompt\":\"q").append(i).append("\",\"answer\":\"").append(i * i).append("\",\"source\":\"s").append(i % 2).append("\"}\n");
            if (i == 4) {
                b.append("\n");                                                    // a blank line does not count
            }
        }
        Files.writeString(bank, b.toString());
        try (ServeServer s = ServeServer.start(new ServeConfig(bank.toString(), "uniform", 0, 1, 4, tmp.resolve("st"), ServeConfig.LOCALHOST,
                0, null, 4096, 5, 1))) {
            String base = "http://127.0.0.1:" + s.port();
            JsonNode r = Http.post(base, "/v1/sample", "{\"n\":2,\"candidates\":[7,3,5]}").json();    // uniform: the first n candidates
            assertArrayEquals(new int[] {7, 3}, indices(r));
            assertEquals("q7", r.get("problems").get(0).get("prompt").textValue());
            assertEquals("49", r.get("problems").get(0).get("answer").textValue());
            assertEquals("s1", r.get("problems").get(0).get("source").textValue());
            assertEquals(10, Http.get(base, "/v1/state?table=false").json().get("bank_problems").intValue());
        }
    }
}
