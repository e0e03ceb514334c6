package dev.curlab.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.run.RunLock;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service's state directory: {@code .lock} (the run-directory lock: one server per directory),
 * {@code serve.json} (the settings that fix the computation), {@code snapshot.json} (the whole
 * state after journal record {@code seq}, replaced by an atomic rename) and {@code journal.jsonl}
 * (one line per state change after the snapshot, each forced to disk before the change is
 * acknowledged). A torn last journal line (a crash mid-write, never acknowledged) is cut off on open.
 */
final class StateDir implements AutoCloseable {
    static final String CONFIG = "serve.json";
    static final String SNAPSHOT = "snapshot.json";
    static final String JOURNAL = "journal.jsonl";
    private static final ObjectMapper JSON = Requests.JSON;
    private final Path dir;
    private final RunLock lock;
    private FileChannel journal;

    /** A journal record as read back: its sequence number and its body. */
    record Entry(long seq, JsonNode body) {
    }

    private StateDir(Path dir, RunLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /** Creates or opens {@code dir}, locks it and checks that it was created with {@code identity}. */
    static StateDir open(Path dir, Map<String, Object> identity) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("--state " + dir + ": cannot create the directory (" + e.getMessage() + ")");
        }
        RunLock lock = RunLock.acquire(dir, "--state");
        StateDir s = new StateDir(dir, lock);
        try {
            Path cfg = dir.resolve(CONFIG);
            if (Files.exists(cfg)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> saved = JSON.readValue(cfg.toFile(), Map.class);
                for (Map.Entry<String, Object> e : identity.entrySet()) {
                    Object was = saved.get(e.getKey());
                    if (!String.valueOf(was).equals(String.valueOf(e.getValue()))) {
                        throw new UserError("--state " + dir + " holds a service started with " + e.getKey() + " " + was + ", not "
                                + e.getValue() + "; restart with the same settings or use another --state directory");
                    }
                }
            } else {
                s.writeAtomically(cfg, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(identity));
            }
            s.journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            return s;
        } catch (IOException e) {
            lock.close();
            throw new UserError("--state " + dir + ": cannot read or write the state (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    /** The newest snapshot, or null before the first. */
    JsonNode snapshot() {
        Path f = dir.resolve(SNAPSHOT);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new UserError("--state " + dir + ": " + SNAPSHOT + " is unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** The journal's complete records in order; a torn last line is cut off the file. */
    List<Entry> journal() {
        try {
            byte[] all = Files.readAllBytes(dir.resolve(JOURNAL));
            List<Entry> out = new ArrayList<>();
            int start = 0;
            int line = 0;
            while (start < all.length) {
                int end = start;
                while (end < all.length && all[end] != '\n') {
                    end++;
                }
                line++;
                JsonNode n = null;
                if (end < all.length) {
                    try {
                        n = JSON.readTree(new String(all, start, end - start, StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        n = null;
                    }
                }
                if (n == null || !n.has("seq")) {
                    if (end >= all.length - 1) {           // the last line: a write cut short by a crash, never acknowledged
                        journal.truncate(start);
                        journal.force(true);
                        break;
                    }
                    throw new UserError("--state " + dir + ": " + JOURNAL + " line " + line + " is corrupt (not a journal record)");
                }
                out.add(new Entry(n.get("seq").longValue(), n));
                start = end + 1;
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one record line and forces it to disk. */
    void append(byte[] line) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        long at = journal.size();
        while (b.hasRemaining()) {
            at += journal.write(b, at);
        }
        journal.force(false);
    }

    /** Writes {@code state} as the snapshot (temporary file, fsync, atomic rename, directory fsync), then empties the journal. */
    void writeSnapshot(byte[] state) throws IOException {
        writeAtomically(dir.resolve(SNAPSHOT), state);
        journal.truncate(0);                               // every record is in the snapshot (a crash before this: replay skips them by seq)
        journal.force(true);
    }

    private void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);                                 // the rename itself is durable
        } catch (IOException e) {
            // some file systems cannot open a directory for reading; the rename is still atomic
        }
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException ignored) {
            // the records were forced already
        }
        lock.close();
    }
}
