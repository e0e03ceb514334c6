package dev.curlab.cli;

import dev.curlab.rl.Curators;
import dev.curlab.serve.ServeBench;
import dev.curlab.serve.ServeConfig;
import dev.curlab.serve.ServeServer;
import dev.curlab.run.StopSignal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code curlab serve}: a problem curator as a small durable HTTP service for external RL trainers (verl, TRL, OpenRLHF). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a problem curator over HTTP (JSON): trainers sample problems and report rollouts; every acknowledged call is journaled (see docs/serve.md).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--tasks", paramLabel = "SPEC", description = "Problem bank: builtin:arith[?families=...] (its first --bank-size problems), a .jsonl or a .parquet file (all of it) (default: ${DEFAULT-VALUE}).")
    String tasks = "builtin:arith";

    @Option(names = "--curator", paramLabel = "NAME", description = "Curator: " + Curators.SERVABLE + ", with NAME?key=value settings (default: ${DEFAULT-VALUE}).")
    String curator = "learnability-history";

    @Option(names = "--state", paramLabel = "DIR", required = true, description = "State directory: lock, write-ahead journal and snapshots; a restart on it continues exactly.")
    Path state;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the bank, the candidate draws and the curator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bank-size", paramLabel = "M", description = "Problems taken from a builtin bank (default: ${DEFAULT-VALUE}).")
    int bankSize = 10_000;

    @Option(names = "--oversample", paramLabel = "F", description = "A sample call without candidates lets the curator pick n of F x n problems drawn uniformly (default: ${DEFAULT-VALUE}).")
    int oversample = 4;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind; anything but loopback needs --token-file (default: ${DEFAULT-VALUE}).")
    String host = ServeConfig.LOCALHOST;

    @Option(names = "--port", paramLabel = "P", description = "Port, 0 = any free one (default: ${DEFAULT-VALUE}).")
    int port = 8470;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token (>= 16 characters) every call but /healthz must send.")
    Path tokenFile;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Largest request body accepted, 413 above (default: ${DEFAULT-VALUE}).")
    int maxBody = 8 << 20;

    @Option(names = "--snapshot-every", paramLabel = "K", description = "Journal records between snapshots (default: ${DEFAULT-VALUE}).")
    int snapshotEvery = 1000;

    @Option(names = "--threads", paramLabel = "T", description = "HTTP worker threads; calls that change state are serialised (default: ${DEFAULT-VALUE}).")
    int threads = 4;

    @Option(names = "--bench", paramLabel = "CALLS", description = "Instead of serving: time CALLS sample and update calls of --bench-batch problems against a server on a fresh temporary state directory beside --state, then exit.")
    int bench;

    @Option(names = "--bench-batch", paramLabel = "N", description = "Problems per call of --bench (default: ${DEFAULT-VALUE}).")
    int benchBatch = 1024;

    @Override
    public Integer call() throws Exception {
        ServeConfig cfg = new ServeConfig(tasks, curator, seed, bankSize, oversample, state, host, port, tokenFile, maxBody, snapshotEvery, threads);
        if (bench > 0) {
            ServeBench.run(cfg, bench, benchBatch, System.out);
            return 0;
        }
        StopSignal stop = StopSignal.install();
        ServeServer server;
        try {
            server = ServeServer.start(cfg);
        } catch (RuntimeException e) {
            stop.uninstall();
            throw e;
        }
        try (server) {
            System.out.println("curlab serve: curator " + curator + " over " + server.service().bankDescription() + "; state " + state
                    + " (replayed " + server.service().replayed() + " journal records)");
            System.out.println("curlab serve: listening on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port());
            System.out.flush();
            while (!stop.requested()) {
                Thread.sleep(100);
            }
        } finally {
            stop.finished();
        }
        return 0;
    }
}
