package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.serve.ServeConfig;
import dev.curlab.serve.ServeServer;
import dev.curlab.train.RunFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One contract, two uses: {@code curlab rl --curator remote:URL} against a served learnability curator
 * writes exactly the metrics of the same curator in process at the same seed, and a resume after the
 * service has moved on (other calls after the checkpoint) rewinds it and still writes them.
 */
class RlRemoteCuratorCliTest {
    static final String TASKS = "builtin:arith?families=add,chain";
    @TempDir
    static Path tmp;
    static Path warm;

    @BeforeAll
    static void warmStart() {
        warm = tmp.resolve("warm");
        assertEquals(0, Main.run("train", "--data", "builtin:arith-sft", "--steps", "40", "-N", "16", "--select-batch", "16",
                "--eval-every", "40", "--out", warm.toString(), "--no-progress"));
    }

    static String[] args(Path out, String curator, int steps) {
        return new ArrayList<>(List.of("rl", "--tasks", TASKS, "--init-from", warm.toString(), "--curator", curator,
                "--steps", Integer.toString(steps), "-N", "12", "-B", "4", "-G", "4", "--max-new", "5", "--heldout", "8",
                "--eval-every", "2", "--checkpoint-every", "2", "--lr", "1e-3", "--seed", "2", "--out", out.toString(),
                "--no-progress")).toArray(String[]::new);
    }

    static ServeServer serve(Path state) {
        return ServeServer.start(new ServeConfig(TASKS, "learnability-history", 2, 500, 4, state, ServeConfig.LOCALHOST, 0, null, 8 << 20, 1000, 2));
    }

    @Test
    void aServedCuratorGivesTheMetricsOfTheCuratorInProcessResumeIncluded() throws Exception {
        Path local = tmp.resolve("local");
        assertEquals(0, Main.run(args(local, "learnability-history", 6)));
        List<Map<String, Object>> want = RunFiles.metricsWithoutTimes(local);
        assertTrue(want.stream().anyMatch(m -> m.containsKey("curator_mean_learnability")), want.toString());

        Path remote = tmp.resolve("remote");
        try (ServeServer s = serve(tmp.resolve("state-a"))) {
            assertEquals(0, Main.run(args(remote, "remote:http://127.0.0.1:" + s.port(), 6)));
        }
        assertEquals(want, RunFiles.metricsWithoutTimes(remote));

        Path split = tmp.resolve("split");
        try (ServeServer s = serve(tmp.resolve("state-b"))) {
            String url = "http://127.0.0.1:" + s.port();
            assertEquals(0, Main.run(args(split, "remote:" + url, 4)));
            HttpClient c = HttpClient.newHttpClient();                    // the service moves on after the checkpoint
            for (int k = 0; k < 3; k++) {
                c.send(HttpRequest.newBuilder(URI.create(url + "/v1/sample")).POST(HttpRequest.BodyPublishers.ofString("{\"n\":4}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                c.send(HttpRequest.newBuilder(URI.create(url + "/v1/update")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"request_id\":\"other-" + k + "\",\"results\":[{\"index\":" + k + ",\"acc\":[1,0,0,1]}]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(0, Main.run("rl", "--resume", split.toString(), "--steps", "6", "--no-progress"));
        }
        assertEquals(want, RunFiles.metricsWithoutTimes(split));
    }

    @Test
    void aServiceOfAnotherBankIsRefusedWithOneLine() {
        try (ServeServer s = serve(tmp.resolve("state-c"))) {
            String[] a = args(tmp.resolve("other"), "remote:http://127.0.0.1:" + s.port(), 2);
            a[java.util.Arrays.asList(a).indexOf("--seed") + 1] = "3";
            BadInputTest.assertBad(BadInputTest.run(a), "--curator remote:http://127.0.0.1:" + s.port() + " serves --tasks " + TASKS
                    + " at --seed 2; this run has --tasks " + TASKS + " at --seed 3 (the candidates' ids would name other problems)");
        }
    }

    @Test
    void anUnreachableServiceIsOneLine() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();                                    // closed again: nothing listens there
        }
        BadInputTest.assertBad(BadInputTest.run(args(tmp.resolve("unreachable"), "remote:http://127.0.0.1:" + port, 2)),
                "--curator remote:http://127.0.0.1:" + port + ": cannot reach the service (");
        BadInputTest.assertBad(BadInputTest.run(args(tmp.resolve("unreachable"), "remote:127.0.0.1:" + port, 2)),
                "--curator remote:127.0.0.1:" + port + ": expected remote:http://HOST:PORT");
    }
}
