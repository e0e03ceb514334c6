package dev.curlab.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code --curator remote:URL}: the curator of a {@code curlab serve} service, driven from curlab's
 * own loop through the same API external trainers use. {@link #pick} sends the step's candidates as
 * bank indices (their problem ids: the service must run the same {@code --tasks} and {@code --seed},
 * checked at start) and gets back their positions; {@link #observe} reports each picked problem's
 * {@code successes} of {@code g} as an {@code acc} list. Its checkpoint state is the service's whole
 * state (GET /v1/checkpoint), and a resume puts it back (POST /v1/restore), so a resumed run continues
 * exactly. The service's curator draws from the stream curlab rl's own curator would use at that seed.
 * A token, when the service wants one, is read from the file named by {@code CURLAB_TOKEN_FILE}.
 */
public final class RemoteCurator implements Curator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String spec;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String token;
    private final String run = UUID.randomUUID().toString();  // request ids are unique to this process; a resume rewinds the service's ids
    private final String name;
    private final Map<String, Object> settings = new LinkedHashMap<>();
    private Map<String, Object> metrics = Map.of();
    private long lastStep = -1;

    @SuppressWarnings("unchecked")
    public RemoteCurator(String spec, RlConfig cfg) {
        this.spec = spec;
        String url = spec.substring("remote:".length());
        UserError.require(url.startsWith("http://") || url.startsWith("https://"), "--curator " + spec + ": expected remote:http://HOST:PORT");
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        String tokenFile = System.getenv("CURLAB_TOKEN_FILE");
        try {
            this.token = tokenFile == null ? null : Files.readString(Path.of(tokenFile)).trim();
        } catch (IOException e) {
            throw new UserError("CURLAB_TOKEN_FILE " + tokenFile + ": cannot read it (" + e.getMessage() + ")");
        }
        JsonNode st = call("GET", "/v1/state?table=false", null);
        if (!cfg.tasks().equals(st.path("tasks").asText()) || cfg.seed() != st.path("seed").asLong()) {
            throw new UserError("--curator " + spec + " serves --tasks " + st.path("tasks").asText() + " at --seed " + st.path("seed").asLong()
                    + "; this run has --tasks " + cfg.tasks() + " at --seed " + cfg.seed() + " (the candidates' ids would name other problems)");
        }
        this.name = st.path("curator_name").asText();
        settings.put("url", base.toString());
        settings.putAll(JSON.convertValue(st.path("curator_settings"), Map.class));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int[] pick(long step, List<Problem> candidates, int b, Rng rng) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("n", b);
        body.put("request_id", run + "/sample/" + step);
        body.put("step", step);
        body.put("candidates", candidates.stream().mapToLong(Problem::id).toArray());
        body.put("with_text", false);
        JsonNode r = call("POST", "/v1/sample", body);
        lastStep = step;
        return JSON.convertValue(r.get("positions"), int[].class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void observe(List<Problem> picked, int[] successes, int g) {
        List<Map<String, Object>> results = new java.util.ArrayList<>(picked.size());
        for (int i = 0; i < picked.size(); i++) {
            int[] acc = new int[g];
            for (int j = 0; j < successes[i]; j++) {
                acc[j] = 1;
            }
            results.add(Map.of("index", picked.get(i).id(), "acc", acc));
        }
        JsonNode r = call("POST", "/v1/update", Map.of("request_id", run + "/update/" + lastStep, "results", results));
        metrics = JSON.convertValue(r.get("metrics"), LinkedHashMap.class);
    }

    @Override
    public Map<String, Object> metrics() {
        return metrics;
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> save() {
        return JSON.convertValue(call("GET", "/v1/checkpoint", null), LinkedHashMap.class);
    }

    @Override
    public void restore(Map<String, Object> state) {
        call("POST", "/v1/restore", state);
    }

    /** One call, retried (with the same body and request id) when the service cannot be reached. */
    private JsonNode call(String method, String path, Object body) {
        IOException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json");
                if (token != null) {
                    rb.header("Authorization", "Bearer " + token);
                }
                rb.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
                HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                JsonNode out = r.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(r.body());
                if (r.statusCode() != 200) {
                    throw new UserError("--curator " + spec + ": " + path + " answered " + r.statusCode() + ": " + out.path("error").asText());
                }
                return out;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("--curator " + spec + ": interrupted");
            }
            try {
                Thread.sleep(200L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new UserError("--curator " + spec + ": cannot reach the service (" + (last == null ? "interrupted" : last.getClass().getSimpleName()
                .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase() + (last.getMessage() == null ? "" : ": " + last.getMessage())) + ")");
    }
}
