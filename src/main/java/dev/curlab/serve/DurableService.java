package dev.curlab.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.curlab.rl.Banks;
import dev.curlab.rl.Curator;
import dev.curlab.rl.Curators;
import dev.curlab.rl.Problem;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link CuratorService} made durable: each call that changes the state runs under one lock
 * (concurrent clients are serialised), is appended to the journal and forced to disk before it
 * returns (so before the HTTP reply), and every {@code snapshotEvery} records the whole state is
 * snapshotted. Opening a state directory replays its snapshot and journal: the state of the last
 * acknowledged call, and, because picks are deterministic, the same picks afterwards. A journal
 * write that fails leaves the process refusing every further call (503) until it is restarted.
 */
public final class DurableService implements AutoCloseable {
    private static final ObjectMapper JSON = Requests.JSON;
    private final ServeConfig cfg;
    private final Banks.Table bank;
    private final CuratorService service;
    private final StateDir dir;
    private long seq;
    private int sinceSnapshot;
    private final int replayed;
    private volatile String failed;
    private final ServeEvents events;

    private DurableService(ServeConfig cfg, Banks.Table bank, CuratorService service, StateDir dir) {
        this.cfg = cfg;
        this.bank = bank;
        this.service = service;
        this.dir = dir;
        this.replayed = replay();
        this.events = new ServeEvents(dir.dir());            // after the replay: a restart writes only new updates
    }

    public static DurableService open(ServeConfig cfg) {
        return open(cfg, () -> { });
    }

    /** Builds the bank and the curator (checking them), runs {@code beforeState}, then locks and replays the state directory. */
    public static DurableService open(ServeConfig cfg, Runnable beforeState) {
        Banks.Table bank = Banks.table(cfg.tasks(), cfg.seed(), cfg.bankSize());
        Curator curator = Curators.served(cfg.curator(), bank.params(), cfg.seed());
        if (curator.name().equals("alp-gmm")) {
            checkParams(bank, cfg.curator());
        }
        CuratorService service = new CuratorService(bank, curator, cfg.seed(), cfg.oversample());
        beforeState.run();
        StateDir dir = StateDir.open(cfg.state(), cfg.identity());
        try {
            return new DurableService(cfg, bank, service, dir);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    /** alp-gmm reads every problem's numeric params: refuse a bank without them at start, not mid-call. */
    private static void checkParams(Banks.Table bank, String spec) {
        int d = -1;
        for (Problem p : bank.problems()) {
            int n = bank.params().taskParams(p).length;
            if (n == 0 || (d >= 0 && n != d)) {
                throw new UserError("--curator " + spec + " needs the same numeric params on every problem (builtin:arith, or \"params\" in a bank's lines); "
                        + p.bucket() + " has " + n);
            }
            d = n;
        }
    }

    /** Journal records replayed on open (after the snapshot). */
    public int replayed() {
        return replayed;
    }

    public ServeConfig config() {
        return cfg;
    }

    public String bankDescription() {
        return bank.describe();
    }

    public Problem problem(int index) {
        return service.problem(index);
    }

    @SuppressWarnings("unchecked")
    private int replay() {
        JsonNode snap = dir.snapshot();
        if (snap != null) {
            service.restore(JSON.convertValue(snap.get("state"), Map.class));
            seq = snap.get("seq").longValue();
        }
        int n = 0;
        for (StateDir.Entry e : dir.journal()) {
            if (e.seq() <= seq) {
                continue;                                  // already in the snapshot
            }
            if (e.seq() != seq + 1) {
                throw new UserError("--state " + dir.dir() + ": " + StateDir.JOURNAL + " skips from record " + seq + " to " + e.seq());
            }
            JsonNode b = e.body();
            switch (b.get("op").textValue()) {
                case "sample" -> {
                    CuratorService.Picked p = service.sample(Requests.sample(b.get("request")));
                    int[] want = JSON.convertValue(b.get("picked"), int[].class);
                    if (!Arrays.equals(p.indices(), want)) {
                        throw new UserError("--state " + dir.dir() + ": replaying record " + e.seq() + " picked other problems than the journal says");
                    }
                }
                case "update" -> service.update(Requests.update(b.get("request")));
                case "restore" -> service.restore(JSON.convertValue(b.get("state"), Map.class));
                default -> throw new UserError("--state " + dir.dir() + ": unknown journal record " + b.get("op"));
            }
            seq = e.seq();
            n++;
        }
        sinceSnapshot = n;
        return n;
    }

    public synchronized CuratorService.Picked sample(Requests.Sample r, JsonNode request) {
        usable();
        CuratorService.Picked p = guarded(() -> service.sample(r));
        ObjectNode rec = record("sample");
        rec.set("request", request);
        rec.set("picked", JSON.valueToTree(p.indices()));
        commit(rec);
        return p;
    }

    public synchronized CuratorService.Observed update(Requests.Update u, JsonNode request) {
        usable();
        CuratorService.Observed o = guarded(() -> service.update(u));
        ObjectNode rec = record("update");
        rec.set("request", request);
        commit(rec);
        if (o.applied()) {
            events.update(service.counters(), ServeEvents.accMean(u), o.metrics());
        }
        return o;
    }

    /** The whole state as JSON (what a remote curator saves in its run's checkpoint). */
    public synchronized byte[] checkpoint() {
        usable();
        return bytes(service.save());
    }

    /** Replaces the state with a {@link #checkpoint()}; journaled, then snapshotted at once. */
    @SuppressWarnings("unchecked")
    public synchronized void restore(JsonNode state) {
        usable();
        if (state == null || !state.isObject()) {
            throw ApiError.bad("the body must be a state object as GET /v1/checkpoint returns it");
        }
        Map<String, Object> before = JSON.convertValue(service.save(), Map.class);   // JSON values, as restore reads them
        try {
            service.restore(JSON.convertValue(state, Map.class));
        } catch (ApiError e) {
            service.restore(before);
            throw e;
        } catch (RuntimeException e) {
            service.restore(before);
            throw ApiError.unprocessable("state: not a state as GET /v1/checkpoint returns it");
        }
        ObjectNode rec = record("restore");
        rec.set("state", state);
        commit(rec);
        snapshot();
    }

    /** GET /v1/state: settings, counters, the curator's settings and metrics and (optionally) the pass-rate table. */
    public synchronized byte[] state(boolean withTable) {
        Map<String, Object> m = new LinkedHashMap<>(cfg.identity());
        m.put("bank", bank.describe());
        m.put("bank_problems", service.size());
        m.put("curator_name", service.curator().name());
        m.put("curator_settings", service.curator().settings());
        m.put("curator_metrics", service.curatorMetrics());
        m.putAll(service.counters());
        m.put("journal_seq", seq);
        if (withTable) {
            m.put("table", service.table().rows());
        }
        return bytes(m);
    }

    /** Counters and curator metrics for /metrics, read under the lock. */
    public synchronized Map<String, Object> metricsView() {
        Map<String, Object> m = new LinkedHashMap<>(service.counters());
        m.put("bank_problems", service.size());
        m.put("journal_seq", seq);
        m.put("journal_records_since_snapshot", sinceSnapshot);
        m.put("curator", service.curatorMetrics());
        return m;
    }

    public String failure() {
        return failed;
    }

    /**
     * Runs a state change. A refusal ({@link ApiError}) is checked before anything changes; any other
     * failure may have changed the state halfway without a journal record, so the service stops
     * accepting calls and a restart recovers the last acknowledged state from the journal.
     */
    private <T> T guarded(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (ApiError e) {
            throw e;
        } catch (RuntimeException e) {
            failed = "the curator failed mid-call";
            throw new ApiError(503, failed + "; the call is not acknowledged; restart the service on the same --state");
        }
    }

    private void usable() {
        if (failed != null) {
            throw new ApiError(503, "the service stopped accepting calls (" + failed + "); restart it on the same --state");
        }
    }

    private ObjectNode record(String op) {
        ObjectNode rec = JSON.createObjectNode();
        rec.put("seq", seq + 1);
        rec.put("op", op);
        return rec;
    }

    private void commit(ObjectNode rec) {
        try {
            dir.append(JSON.writeValueAsBytes(rec));
        } catch (IOException e) {
            failed = "a journal write failed: " + (e.getMessage() == null ? "I/O error" : e.getMessage());
            throw new ApiError(503, failed + "; the call is not acknowledged; restart the service on the same --state");
        }
        seq++;
        if (++sinceSnapshot >= cfg.snapshotEvery()) {
            snapshot();
        }
    }

    /** Snapshots now (also on a clean shutdown); a failure is reported and the journal kept. */
    public synchronized void snapshot() {
        if (failed != null) {
            return;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seq", seq);
        s.put("state", service.save());
        try {
            dir.writeSnapshot(bytes(s));
            sinceSnapshot = 0;
        } catch (IOException e) {
            System.err.println("curlab serve: warning: snapshot failed (" + e.getMessage() + "); the journal keeps every record");
        }
    }

    private static byte[] bytes(Object o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (sinceSnapshot > 0) {
            snapshot();
        }
        events.close();
        dir.close();
    }
}
