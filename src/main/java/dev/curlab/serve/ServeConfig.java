package dev.curlab.serve;

import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of {@code curlab serve}, validated here with messages that name the option. The
 * first five fix the service's behaviour and are saved in the state directory: a restart must give
 * the same ones (or leave them out).
 *
 * @param tasks         problem bank: builtin:arith[...] (its first {@code bankSize} problems) or a .jsonl/.parquet file (all of it)
 * @param curator       curator spec, NAME[?key=value...]; one that reads no policy (uniform, learnability, alp-gmm, bandit-adv)
 * @param seed          seed of the bank, the candidate draws and the curator
 * @param bankSize      problems taken from an endless builtin bank (ignored for a file)
 * @param oversample    a sample call without candidates draws oversample x n candidates (at most the bank) for the curator
 * @param state         state directory: lock, write-ahead journal, snapshots
 * @param host          address to bind (127.0.0.1 unless told otherwise)
 * @param port          port (0: any free one, printed at start)
 * @param tokenFile     file holding the bearer token (required for any host but 127.0.0.1 / localhost / ::1)
 * @param maxBodyBytes  largest request body accepted (413 above)
 * @param snapshotEvery journal records between snapshots
 * @param threads       HTTP worker threads (requests that change state are serialised whatever this is)
 */
public record ServeConfig(String tasks, String curator, long seed, int bankSize, int oversample, Path state, String host, int port,
        Path tokenFile, int maxBodyBytes, int snapshotEvery, int threads) {

    public static final String LOCALHOST = "127.0.0.1";

    public ServeConfig {
        UserError.require(tasks != null && !tasks.isBlank(), "--tasks is required (builtin:arith, a .jsonl or a .parquet file)");
        UserError.require(curator != null && !curator.isBlank(), "--curator is required");
        UserError.require(!curator.startsWith("remote:"), "--curator " + curator + ": a served curator cannot be remote itself");
        UserError.require(state != null, "--state DIR is required (the journal and snapshots live there)");
        UserError.require(bankSize >= 1, "--bank-size must be >= 1, got " + bankSize);
        UserError.require(oversample >= 1, "--oversample must be >= 1, got " + oversample);
        UserError.require(port >= 0 && port <= 65535, "--port must be in [0, 65535], got " + port);
        UserError.require(maxBodyBytes >= 1024, "--max-body must be >= 1024 bytes, got " + maxBodyBytes);
        UserError.require(snapshotEvery >= 1, "--snapshot-every must be >= 1, got " + snapshotEvery);
        UserError.require(threads >= 1, "--threads must be >= 1, got " + threads);
        UserError.require(isLoopback(host) || tokenFile != null,
                "--host " + host + " exposes the service beyond this machine; give --token-file FILE (clients send 'Authorization: Bearer TOKEN')");
    }

    static boolean isLoopback(String host) {
        return host.equals(LOCALHOST) || host.equals("localhost") || host.equals("::1");
    }

    /** The settings that fix what the service computes (saved in STATE/serve.json, checked on a restart). */
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", tasks);
        m.put("curator", curator);
        m.put("seed", seed);
        m.put("bank_size", bankSize);
        m.put("oversample", oversample);
        return m;
    }
}
