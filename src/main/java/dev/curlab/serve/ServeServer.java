package dev.curlab.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.curlab.rl.Problem;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP face of a {@link DurableService} on the JDK's own server ({@code com.sun.net.httpserver}):
 * routing, the bearer token (compared in constant time), the body size limit and JSON in and out.
 * Every error is a JSON object {@code {"error": "one line"}} with a 4xx or 5xx status.
 */
public final class ServeServer implements AutoCloseable {
    private static final ObjectMapper JSON = Requests.JSON;

    static {
        // The JDK server writes headers and body in two packets; with Nagle's algorithm on, the body waits for the
        // client's delayed ACK (~40 ms a call, measured: docs/serve.md). Read once, when the server classes load.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final DurableService service;
    private final HttpServer http;
    private final ExecutorService pool;
    private final byte[] token;                       // null: no token required (loopback without --token-file)
    private final int maxBody;
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>(); // "path code" -> count

    private interface Handler {
        Object handle(HttpExchange ex, byte[] body) throws IOException;
    }

    private ServeServer(DurableService service, ServeConfig cfg, byte[] token, HttpServer http) {
        this.service = service;
        this.maxBody = cfg.maxBodyBytes();
        this.token = token;
        this.http = http;
        this.pool = Executors.newFixedThreadPool(cfg.threads());
        http.setExecutor(pool);
        route("/v1/sample", "POST", this::sample);
        route("/v1/update", "POST", this::update);
        route("/v1/state", "GET", (ex, b) -> service.state(!"table=false".equals(ex.getRequestURI().getRawQuery())));
        route("/v1/checkpoint", "GET", (ex, b) -> service.checkpoint());
        route("/v1/restore", "POST", (ex, b) -> {
            service.restore(Requests.parse(b));
            return Map.of("restored", true);
        });
        route("/metrics", "GET", (ex, b) -> PrometheusText.render(service.metricsView(), requestCounts()));
        route("/healthz", "GET", (ex, b) -> service.failure() == null ? Map.of("ok", true)
                : Map.of("ok", false, "error", service.failure()));
    }

    /**
     * Reads the token, builds the bank and curator and binds the address before it touches --state
     * (a mistake in any of them leaves the state directory as it was), then opens the state
     * (replaying it) and starts.
     */
    public static ServeServer start(ServeConfig cfg) {
        byte[] token = cfg.tokenFile() == null ? null : readToken(cfg.tokenFile());
        HttpServer[] bound = new HttpServer[1];
        DurableService s;
        try {
            s = DurableService.open(cfg, () -> bound[0] = bind(cfg));
        } catch (RuntimeException e) {
            if (bound[0] != null) {
                bound[0].stop(0);
            }
            throw e;
        }
        HttpServer http = bound[0];
        ServeServer server = new ServeServer(s, cfg, token, http);
        http.start();
        return server;
    }

    private static HttpServer bind(ServeConfig cfg) {
        try {
            return HttpServer.create(new InetSocketAddress(cfg.host(), cfg.port()), 128);
        } catch (IOException e) {
            throw new UserError("--host " + cfg.host() + " --port " + cfg.port() + ": cannot listen there (" + e.getMessage() + ")");
        }
    }

    static byte[] readToken(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            UserError.require(t.length() >= 16 && t.chars().allMatch(c -> c > ' ' && c < 127),
                    "--token-file " + file + ": the token must be at least 16 printable ASCII characters without spaces");
            return t.getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UserError("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public DurableService service() {
        return service;
    }

    private void route(String path, String method, Handler h) {
        http.createContext(path, ex -> {
            int code;
            Object out;
            try {
                out = dispatch(ex, path, method, h);
                code = 200;
            } catch (ApiError e) {
                code = e.status();
                out = Map.of("error", oneLine(e.getMessage()));
            } catch (UserError e) {
                code = 422;
                out = Map.of("error", oneLine(e.getMessage()));
            } catch (RuntimeException e) {
                code = 500;
                out = Map.of("error", "internal error; the call changed nothing that was acknowledged");
            }
            requests.computeIfAbsent(path + " " + code, k -> new AtomicLong()).incrementAndGet();
            send(ex, code, out);
        });
    }

    private Object dispatch(HttpExchange ex, String path, String method, Handler h) throws IOException {
        if (!ex.getRequestURI().getPath().equals(path)) {
            throw new ApiError(404, "no such endpoint " + Requests.abbreviate(ex.getRequestURI().getPath()));
        }
        if (token != null && !path.equals("/healthz")) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] given = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim().getBytes(StandardCharsets.US_ASCII) : new byte[0];
            if (!MessageDigest.isEqual(token, given)) {
                throw new ApiError(401, "missing or wrong 'Authorization: Bearer TOKEN'");
            }
        }
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new ApiError(405, path + " takes " + method + ", not " + ex.getRequestMethod());
        }
        return h.handle(ex, method.equals("POST") ? body(ex) : new byte[0]);
    }

    private byte[] body(HttpExchange ex) throws IOException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.trim()) > maxBody) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                throw ApiError.bad("Content-Length is not a number");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(maxBody + 1);
            if (b.length > maxBody) {
                throw tooLarge();
            }
            return b;
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "the body is larger than --max-body " + maxBody + " bytes; send fewer results per call");
    }

    private Object sample(HttpExchange ex, byte[] body) {
        JsonNode req = Requests.parse(body);
        Requests.Sample r = Requests.sample(req);
        CuratorService.Picked p = service.sample(r, req);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step", p.step());
        out.put("duplicate", p.duplicate());
        if (r.candidates() != null) {
            out.put("positions", p.positions());
        }
        List<Object> problems = new ArrayList<>(p.indices().length);
        for (int i : p.indices()) {
            if (!r.withText()) {
                problems.add(Map.of("index", i));
                continue;
            }
            Problem q = service.problem(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", i);
            m.put("id", q.id());
            m.put("prompt", q.prompt());
            m.put("answer", q.answer());
            if (q.source() != null) {
                m.put("source", q.source());
            }
            problems.add(m);
        }
        out.put("problems", problems);
        return out;
    }

    private Object update(HttpExchange ex, byte[] body) {
        JsonNode req = Requests.parse(body);
        CuratorService.Observed o = service.update(Requests.update(req), req);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("applied", o.applied());
        out.put("duplicate", !o.applied());
        out.put("problems", o.problems());
        out.put("metrics", o.metrics());
        return out;
    }

    private Map<String, Long> requestCounts() {
        Map<String, Long> m = new java.util.TreeMap<>();
        requests.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private static String oneLine(String s) {
        return s == null ? "error" : s.replaceAll("\\s+", " ").trim();
    }

    private static void send(HttpExchange ex, int code, Object out) throws IOException {
        byte[] bytes;
        String type = "application/json";
        if (out instanceof byte[] b) {
            bytes = b;
        } else if (out instanceof String s) {
            bytes = s.getBytes(StandardCharsets.UTF_8);
            type = "text/plain; version=0.0.4; charset=utf-8";
        } else {
            try {
                bytes = JSON.writeValueAsBytes(out);
            } catch (JsonProcessingException e) {
                bytes = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
                code = 500;
            }
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Stops listening (in-flight calls finish), snapshots and releases the state directory. */
    @Override
    public void close() {
        http.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service.close();
    }
}
