package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.serve.ServeConfig;
import dev.curlab.serve.ServeServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code curlab serve} as a real child process killed by SIGKILL while a client streams calls at it,
 * then restarted on the same --state: the client retries its unanswered call and finishes its
 * script, and the picks and the final state are those of an uninterrupted server.
 */
class ServeCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final int CALLS = 40;   // sample + update pairs
    @TempDir
    Path tmp;

    static List<String> args(Path state) {
        return List.of("serve", "--tasks", "builtin:arith?families=add,chain", "--curator", "learnability-history", "--seed", "5",
                "--bank-size", "300", "--state", state.toString(), "--port", "0", "--snapshot-every", "7");
    }

    /** The script's client: call k (0-based) is a sample of 4 when even, the update of the picks of call k - 1 when odd. */
    static final class Script {
        final String base;
        final List<JsonNode> picks = new ArrayList<>();
        int next;                                              // the first call not yet acknowledged

        Script(String base) {
            this.base = base;
        }

        void run(AtomicInteger acknowledged) throws IOException, InterruptedException {
            while (next < 2 * CALLS) {
                int k = next / 2;
                if (next % 2 == 0) {
                    JsonNode r = post("/v1/sample", "{\"n\":4,\"request_id\":\"s" + k + "\",\"with_text\":false}");
                    if (picks.size() == k) {
                        picks.add(r.get("problems"));
                    } else {
                        assertEquals(picks.get(k), r.get("problems"), "a retried sample answers as the first time");
                    }
                } else {
                    StringBuilder b = new StringBuilder("{\"request_id\":\"u" + k + "\",\"results\":[");
                    for (int j = 0; j < 4; j++) {
                        int i = picks.get(k).get(j).get("index").intValue();
                        b.append(j == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"acc\":[")
                                .append((i + k) % 2).append(',').append(i % 3 == 0 ? 1 : 0).append(",1,0]}");
                    }
                    post("/v1/update", b.append("]}").toString());
                }
                next++;
                acknowledged.incrementAndGet();
            }
        }

        JsonNode post(String path, String body) throws IOException, InterruptedException {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return JSON.readTree(r.body());
        }
    }

    static JsonNode state(String base) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/v1/state")).build(), HttpResponse.BodyHandlers.ofString());
        ObjectNode s = (ObjectNode) JSON.readTree(r.body());
        s.remove(List.of("duplicate_samples", "duplicate_updates", "journal_seq"));   // a retry of an applied call counts as a duplicate
        return s;
    }

    static String waitForUrl(Process p, Path log) throws Exception {
        Pattern url = Pattern.compile("listening on (http://\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return m.group(1);
            }
            assertTrue(p.isAlive(), "server ended: " + Files.readString(log));
            Thread.sleep(20);
        }
        throw new AssertionError("server did not start: " + Files.readString(log));
    }

    @Test
    void sigkillMidStreamThenRestartContinuesExactly() throws Exception {
        Script reference;
        JsonNode want;
        ServeConfig cfg = new ServeConfig("builtin:arith?families=add,chain", "learnability-history", 5, 300, 4, tmp.resolve("reference"),
                ServeConfig.LOCALHOST, 0, null, 8 << 20, 7, 4);
        try (ServeServer s = ServeServer.start(cfg)) {
            reference = new Script("http://127.0.0.1:" + s.port());
            reference.run(new AtomicInteger());
            want = state(reference.base);
        }

        Path state = tmp.resolve("killed");
        Process p = ChildCli.start(args(state), tmp.resolve("first.log"));
        Script script = new Script(waitForUrl(p, tmp.resolve("first.log")));
        AtomicInteger acknowledged = new AtomicInteger();
        Thread client = new Thread(() -> {
            try {
                script.run(acknowledged);
            } catch (IOException | InterruptedException e) {
                // the kill: the call in flight (or the next) is unanswered
            }
        });
        client.start();
        while (acknowledged.get() < 25) {
            assertTrue(client.isAlive(), "the client stopped early");
            Thread.sleep(1);
        }
        p.destroyForcibly();                                           // SIGKILL, while the client keeps calling
        p.waitFor(30, TimeUnit.SECONDS);
        client.join(60_000);
        int done = script.next;
        assertTrue(done >= 25 && done < 2 * CALLS, "killed mid-stream, after " + done + " of " + 2 * CALLS + " calls");

        Process again = ChildCli.start(args(state), tmp.resolve("second.log"));
        try {
            Script rest = new Script(waitForUrl(again, tmp.resolve("second.log")));
            rest.picks.addAll(script.picks);
            rest.next = script.next;
            rest.run(new AtomicInteger());
            assertEquals(reference.picks, rest.picks);
            assertEquals(want, state(rest.base));
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.readString(tmp.resolve("second.log")).contains("(replayed "), Files.readString(tmp.resolve("second.log")));
    }

    @Test
    void aSecondServerOnOneStateDirectoryIsRefused() throws Exception {
        Path state = tmp.resolve("shared");
        try (ServeServer s = ServeServer.start(new ServeConfig("builtin:arith", "uniform", 0, 10, 4, state, ServeConfig.LOCALHOST, 0, null,
                4096, 5, 1))) {
            Path log = tmp.resolve("second.log");
            assertEquals(2, ChildCli.run(List.of("serve", "--curator", "uniform", "--bank-size", "10", "--state", state.toString(),
                    "--port", "0"), log));
            String line = ChildCli.errorLines(log).get(0);
            assertTrue(line.startsWith("curlab: error: --state " + state + " is in use by another curlab process (pid "), line);
        }
        assertEquals(2, ChildCli.run(List.of("serve", "--curator", "learnability-history", "--bank-size", "10", "--state", state.toString(),
                "--port", "0"), tmp.resolve("third.log")));
        assertEquals(List.of("curlab: error: --state " + state + " holds a service started with curator uniform, not learnability-history;"
                + " restart with the same settings or use another --state directory"), ChildCli.errorLines(tmp.resolve("third.log")));
    }

    @Test
    void badServeOptionsFailWithOneLine() {
        Path st = tmp.resolve("bad");
        BadInputTest.assertBad(BadInputTest.run("serve", "--curator", "soft-q", "--state", st.toString()),
                "--curator soft-q: a served curator must be one of uniform, learnability-history, mopps, greso, alp-gmm, bandit-adv (the others probe the policy, which the service cannot see)");
        BadInputTest.assertBad(BadInputTest.run("serve", "--host", "0.0.0.0", "--state", st.toString()),
                "--host 0.0.0.0 exposes the service beyond this machine; give --token-file FILE (clients send 'Authorization: Bearer TOKEN')");
        BadInputTest.assertBad(BadInputTest.run("serve", "--oversample", "0", "--state", st.toString()), "--oversample must be >= 1, got 0");
        BadInputTest.assertBad(BadInputTest.run("serve", "--tasks", "builtin:nope", "--state", st.toString()),
                "--tasks builtin:nope: unknown builtin bank (expected builtin:arith or builtin:arith-bank)");
        BadInputTest.assertBad(BadInputTest.run("serve", "--host", "0.0.0.0", "--token-file", tmp.resolve("none").toString(), "--state", st.toString()),
                "--token-file " + tmp.resolve("none") + ": cannot read it (");
        BadInputTest.assertBad(BadInputTest.run("serve", "--curator", "alp-gmm", "--tasks", "builtin:arith", "--state", st.toString(),
                "--bench-batch", "0", "--bench", "1"), "--bench-batch must be >= 1, got 0");
        assertTrue(!java.nio.file.Files.exists(st), "no refused start left a state directory");
    }
}
