package dev.curlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clients/python/curlab_client.py run by python3 against a live server: plain client and verl-shaped sampler. */
class PythonClientTest {
    @TempDir
    Path tmp;

    static final String SCRIPT = String.join("\n",
            "import json, sys",
            "from curlab_client import CurlabClient, CurlabCurriculumSampler, CurlabError",
            "url = sys.argv[1]",
            "c = CurlabClient(url, retries=1)",
            "out = {}",
            "a = c.sample(5, request_id='s1')",
            "out['first'] = [p['index'] for p in a]",
            "out['again'] = [p['index'] for p in c.sample(5, request_id='s1')]",
            "out['has_prompt'] = all('prompt' in p and 'answer' in p for p in a)",
            "r = [{'index': a[0]['index'], 'acc': [1, 0, 1, 1], 'reward': [1.0, 0.0, 0.5, 0.5]}, {'index': a[1]['index'], 'acc': [0, 0, 0, 1]}]",
            "out['u1'] = c.update(r, request_id='u1')['applied']",
            "out['u1_again'] = c.update(r, request_id='u1')['applied']",
            "try:",
            "    c.update([{'index': 10**6, 'acc': [1]}], request_id='bad')",
            "except CurlabError as e:",
            "    out['bad'] = [e.status, e.reason]",
            "s = CurlabCurriculumSampler(list(range(200)), {'curlab_url': url, 'curlab_draw': 8})",
            "it = iter(s)",
            "idx = [next(it) for _ in range(8)]",
            "out['sampler_len'] = len(s)",
            "out['sampler_idx'] = idx",
            "batch = {'index': [i for i in idx for _ in range(3)], 'acc': [1.0 if (k % 3) == 0 else 0.0 for k in range(24)]}",
            "s.update(batch)",
            "st = c.state()",
            "out['rows'] = {str(r['index']): [r['attempts'], r['successes'], r['reward_sum']] for r in st['table'] if r['attempts'] > 0}",
            "out['update_calls'] = st['update_calls']",
            "print(json.dumps(out))",
            "");

    @Test
    void thePythonClientSamplesUpdatesAndDrivesTheSampler() throws Exception {
        Assumptions.assumeTrue(python3(), "python3 is not installed");
        Path script = tmp.resolve("run.py");
        Files.writeString(script, SCRIPT);
        try (ServeServer s = ServeServer.start(new ServeConfig("builtin:arith", "learnability-history", 1, 200, 4, tmp.resolve("st"),
                ServeConfig.LOCALHOST, 0, null, 1 << 20, 50, 2))) {
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "http://127.0.0.1:" + s.port()).redirectErrorStream(true);
            pb.environment().put("PYTHONPATH", Path.of("clients", "python").toAbsolutePath().toString());
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), text);
            JsonNode out = Http.JSON.readTree(text.lines().reduce((x, y) -> y).orElseThrow());
            assertEquals(out.get("first"), out.get("again"));
            assertEquals(5, out.get("first").size());
            assertTrue(out.get("has_prompt").booleanValue());
            assertTrue(out.get("u1").booleanValue());
            assertFalse(out.get("u1_again").booleanValue());
            assertEquals(422, out.get("bad").get(0).intValue());
            assertEquals("results[0].index = 1000000 is not a problem of this bank (indices 0 to 199)", out.get("bad").get(1).textValue());
            assertEquals(200, out.get("sampler_len").intValue());
            assertEquals(8, out.get("sampler_idx").size());
            assertEquals(2, out.get("update_calls").intValue(), "u1 once, the sampler's update once (one group size)");
            // expected rows, from what the script sent: u1 then three rollouts per sampler index, the first right
            java.util.Map<String, double[]> want = new java.util.HashMap<>();
            int i0 = out.get("first").get(0).intValue();
            int i1 = out.get("first").get(1).intValue();
            want.merge(String.valueOf(i0), new double[] {4, 3, 2.0}, PythonClientTest::add);
            want.merge(String.valueOf(i1), new double[] {4, 1, 0}, PythonClientTest::add);
            List<Integer> idx = new java.util.ArrayList<>();
            out.get("sampler_idx").forEach(x -> idx.add(x.intValue()));
            for (int k = 0; k < idx.size(); k++) {
                // rollouts of index k are entries 3k, 3k+1, 3k+2 of the batch: only 3k is right
                want.merge(String.valueOf(idx.get(k)), new double[] {3, 1, 0}, PythonClientTest::add);
            }
            assertEquals(want.size(), out.get("rows").size(), out.get("rows").toString());
            want.forEach((k, v) -> {
                JsonNode row = out.get("rows").get(k);
                assertEquals(v[0], row.get(0).doubleValue(), k);
                assertEquals(v[1], row.get(1).doubleValue(), k);
                assertEquals(v[2], row.get(2).doubleValue(), k);
            });
        }
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
