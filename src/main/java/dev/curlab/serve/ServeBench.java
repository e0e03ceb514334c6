package dev.curlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code curlab serve --bench CALLS}: one client on this machine times CALLS sample calls of n
 * problems (with their text) and CALLS update calls reporting n problems of 8 rollouts each, over
 * real HTTP against a served curator on a fresh state directory (every call journaled and fsync'd).
 * Prints calls per second and the median and p99 latency of each kind, and of GET /healthz (the HTTP floor).
 */
public final class ServeBench {
    private static final int ROLLOUTS = 8;

    private ServeBench() {
    }

    public static void run(ServeConfig given, int calls, int n, PrintStream out) throws IOException, InterruptedException {
        UserError.require(n >= 1, "--bench-batch must be >= 1, got " + n);
        Path dir = Files.createTempDirectory(given.state().toAbsolutePath().getParent() == null ? Path.of(".") : given.state().toAbsolutePath().getParent(), "serve-bench");
        ServeConfig cfg = new ServeConfig(given.tasks(), given.curator(), given.seed(), given.bankSize(), given.oversample(), dir,
                ServeConfig.LOCALHOST, 0, null, given.maxBodyBytes(), given.snapshotEvery(), given.threads());
        long t0 = System.nanoTime();
        try (ServeServer server = ServeServer.start(cfg)) {
            out.printf(Locale.ROOT, "bench: %s, curator %s, bank of %d problems (built in %.1f s), batches of %d, %d rollouts each%n",
                    cfg.tasks(), cfg.curator(), server.service().config().bankSize(), (System.nanoTime() - t0) / 1e9, n, ROLLOUTS);
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            Rng rng = new Rng(1);
            long[] sampleNs = new long[calls];
            long[] updateNs = new long[calls];
            for (int c = 0; c < calls; c++) {
                long s0 = System.nanoTime();
                JsonNode picked = post(client, base.resolve("/v1/sample"), "{\"n\":" + n + ",\"request_id\":\"s" + c + "\"}");
                sampleNs[c] = System.nanoTime() - s0;
                StringBuilder b = new StringBuilder("{\"request_id\":\"u" + c + "\",\"results\":[");
                for (int i = 0; i < picked.get("problems").size(); i++) {
                    b.append(i == 0 ? "" : ",").append("{\"index\":").append(picked.get("problems").get(i).get("index").intValue()).append(",\"acc\":[");
                    for (int j = 0; j < ROLLOUTS; j++) {
                        b.append(j == 0 ? "" : ",").append(rng.nextInt(2));
                    }
                    b.append("]}");
                }
                b.append("]}");
                long u0 = System.nanoTime();
                post(client, base.resolve("/v1/update"), b.toString());
                updateNs[c] = System.nanoTime() - u0;
            }
            long[] healthNs = new long[calls];                 // the HTTP floor: a call that reads nothing and writes nothing
            for (int c = 0; c < calls; c++) {
                long h0 = System.nanoTime();
                client.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofByteArray());
                healthNs[c] = System.nanoTime() - h0;
            }
            report(out, "sample", sampleNs, n);
            report(out, "update", updateNs, n);
            report(out, "healthz", healthNs, 1);
        } finally {
            deleteTree(dir);
        }
    }

    private static JsonNode post(HttpClient client, URI uri, String body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("bench call failed: " + r.statusCode() + " " + new String(r.body()));
        }
        return Requests.JSON.readTree(r.body());
    }

    private static void report(PrintStream out, String kind, long[] ns, int n) {
        long[] s = ns.clone();
        Arrays.sort(s);
        double total = Arrays.stream(s).sum() / 1e9;
        out.printf(Locale.ROOT, "%s: %d calls, %.1f calls/s (%.0f problems/s), median %.2f ms, p99 %.2f ms%n", kind, s.length,
                s.length / total, s.length * n / total, s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] / 1e6);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
