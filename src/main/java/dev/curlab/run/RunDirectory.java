package dev.curlab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.util.CurlabFiles;
import dev.curlab.util.Directories;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's directory: {@code config.json} (every resolved setting), {@code metrics.jsonl},
 * {@code train.log} (the human log), {@code checkpoints/} and {@code report.html}; while a process
 * trains in it, {@code .lock} ({@link RunLock}). A directory that already holds a run is never
 * written over unless the user says so, and even then the old run is kept until the new one has
 * its first checkpoint: the new run is written into a staging directory beside it
 * ({@code .NAME.overwrite}, same file system), which {@link #commit()} renames into place.
 * <p>
 * It is typed by its loop's config record {@code C} ({@code TrainConfig}, {@code RlConfig}): a
 * resumed run's config is read back through its {@link RunKind}, and a run of another kind is refused.
 */
public final class RunDirectory<C> implements AutoCloseable {
    /** How config.json is written and read. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path target;  // where the run lives: --out or --resume
    private final boolean fresh;
    private final String option;
    private Path dir;           // where it is written now: the staging directory until an --overwrite commits
    private boolean staged;
    private C config;           // the loop's config record (TrainConfig, RlConfig)
    private RunLock lock;       // the lock of dir
    private RunLock oldLock;    // while staged: the lock of the run being replaced

    private RunDirectory(Path target, Path dir, C config, boolean fresh, String option) {
        this.target = target;
        this.dir = dir;
        this.config = config;
        this.fresh = fresh;
        this.option = option;
        this.staged = !dir.equals(target);
    }

    /**
     * Plans a new run in {@code dir}: refuses a directory that holds another run unless
     * {@code overwrite}, and a non-empty directory that is not a curlab run in any case. Nothing is
     * deleted or created until {@link #materialize()}, which the trainer calls only after every
     * option and data file has been checked; a run that replaces another locks it now.
     */
    public static <C> RunDirectory<C> create(Path dir, C config, boolean overwrite) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UserError("--out " + dir + " is a file, expected a directory");
            }
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                if (!Files.exists(dir.resolve("config.json"))) {
                    throw new UserError("--out " + dir + " is not empty and holds no curlab run; choose another directory");
                }
                boolean restartable = new CheckpointStore(dir).list().isEmpty()   // a run that wrote no checkpoint is started again
                        && (Files.exists(dir.resolve("metrics.jsonl")) || Files.exists(dir.resolve("train.log")));
                if (!overwrite && !restartable) {
                    throw new UserError("--out " + dir + " already holds a run; use --resume " + dir
                            + " to continue it or --overwrite to replace it");
                }
                if (!overwrite) {
                    System.err.println("curlab: --out " + dir + " holds a run that stopped before its first checkpoint; starting it again");
                }
                RunDirectory<C> r = new RunDirectory<>(dir, sibling(dir, "overwrite"), config, true, "--out");
                r.oldLock = RunLock.acquire(dir, "--out");
                try {
                    r.removeLeftovers();
                } catch (IOException e) {
                    r.close();
                    throw e;
                }
                return r;
            }
            return new RunDirectory<>(dir, dir, config, true, "--out");
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot read the directory (" + reason(e) + ")");
        }
    }

    /**
     * Creates the directory of a planned new run and locks it. A run that replaces another is
     * created in its staging directory; the old run stays untouched until {@link #commit()}.
     */
    public void materialize() {
        if (!fresh) {
            return;
        }
        try {
            if (staged) {
                Directories.deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            if (lock == null) {
                lock = RunLock.acquire(dir, "--out");
            }
            if (!staged && !isEmpty(dir)) {
                throw new UserError("--out " + dir + " now holds a run written while this one was starting; choose another directory");
            }
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot create the run directory (" + reason(e) + ")");
        }
    }

    /**
     * Puts a staged run in place of the run it replaces (the old one is renamed aside, the staging
     * directory renamed to {@code --out}, the old one deleted). The trainer calls it once the new
     * run's first checkpoint is on disk; open files (metrics.jsonl) follow the rename.
     */
    public void commit() {
        if (!staged) {
            return;
        }
        Path aside = sibling(target, "replaced");
        try {
            Directories.deleteRecursively(aside);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
        } catch (IOException e) {
            throw new UserError("--out " + target + ": cannot put the new run in place of the old one (" + reason(e) + ")");
        }
        CheckpointStore.fsyncDir(parentOf(target));
        oldLock.moved(aside);
        lock.moved(target);
        dir = target;
        staged = false;
        oldLock.close();
        oldLock = null;
        try {
            List<Path> kept = CurlabFiles.moveOthers(aside, target);           // what the user left there stays
            if (!kept.isEmpty()) {
                String line = "kept what curlab did not write in " + target + ": " + CurlabFiles.list(kept);
                log(line);
                System.err.println("curlab: " + line);
            }
            Directories.deleteRecursively(aside);
        } catch (IOException e) {
            log("could not delete the replaced run " + aside + " (" + reason(e) + "); delete it by hand");
        }
    }

    /** Opens an existing run of {@code kind} to resume it, locking it for this process; a run of another kind is refused. */
    public static <C> RunDirectory<C> open(Path dir, RunKind<C> kind) {
        return openWith(dir, savedConfig(dir, kind));
    }

    /** Opens an existing run whose config the caller has read (and changed: more steps), locking it. */
    public static <C> RunDirectory<C> openWith(Path dir, C config) {
        RunDirectory<C> r = new RunDirectory<>(dir, dir, config, false, "--resume");
        r.lock = RunLock.acquire(dir, "--resume");
        if (new CheckpointStore(dir).list().isEmpty()) {
            r.close();
            throw new UserError("--resume " + dir + ": the run there stopped before its first checkpoint, so there is nothing to resume;"
                    + " start it again with --out " + dir);
        }
        try {
            r.removeLeftovers();
        } catch (IOException e) {
            r.close();
            throw new UserError("--resume " + dir + ": cannot tidy the directory (" + reason(e) + ")");
        }
        return r;
    }

    /** The config of kind {@code kind} saved in {@code dir}/config.json (read only; nothing is locked). */
    public static <C> C savedConfig(Path dir, RunKind<C> kind) {
        Map<?, ?> root = savedRoot(dir);
        try {
            return kind.decode(root.get("config"), "--resume " + dir);
        } catch (IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": config.json is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /** {@code dir}/config.json as read: its "config" (the record) and "resolved" (what the run resolved from it) objects. */
    public static Map<?, ?> savedRoot(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new UserError("--resume " + dir + ": no curlab run there (config.json not found)");
        }
        try {
            return JSON.readValue(cfg.toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError("--resume " + dir + ": config.json is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /** A staging directory, or a replaced run, left beside {@code target} by a process that was killed. */
    private void removeLeftovers() throws IOException {
        // Only the holder of target's lock works on these, and that is this process now.
        Directories.deleteRecursively(sibling(target, "overwrite"));
        Directories.deleteRecursively(sibling(target, "replaced"));
    }

    private static Path sibling(Path target, String what) {
        Path abs = target.toAbsolutePath().normalize();
        return parentOf(abs).resolve("." + abs.getFileName() + "." + what);
    }

    private static Path parentOf(Path p) {
        Path parent = p.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : p.toAbsolutePath().getRoot();
    }

    /** Empty, or holding only a lock file left by a killed process. */
    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE));
        }
    }

    /** Where the run is written now (its staging directory until an --overwrite has committed). */
    public Path dir() {
        return dir;
    }

    /** Where the run lives once committed: {@code --out} or {@code --resume}. */
    public Path target() {
        return target;
    }

    /** True while a run that replaces another is still in its staging directory. */
    public boolean staged() {
        return staged;
    }

    public C config() {
        return config;
    }

    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    public Path logFile() {
        return dir.resolve("train.log");
    }

    public Path reportFile() {
        return dir.resolve("report.html");
    }

    /** Writes config.json: the config record and what was resolved from it (vocab, model shape...). */
    public void writeConfig(Map<String, Object> resolved) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        root.put("resolved", resolved);
        try {
            Path tmp = dir.resolve("config.json.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(root)));
                ch.force(true);
            }
            Files.move(tmp, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config.json in " + dir + " (" + reason(e) + ")", e);
        }
    }

    /** Replaces the saved config (a resumed run continued for more steps) and writes config.json. */
    public void rewriteConfig(C newConfig, Map<String, Object> resolved) {
        this.config = newConfig;
        writeConfig(resolved);
    }

    /** Appends a timestamped line to train.log. */
    public void log(String line) {
        try {
            Files.writeString(logFile(), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile() + " (" + reason(e) + ")", e);
        }
    }

    /**
     * Releases the directory: a run still in its staging directory (it failed before its first
     * checkpoint) has that directory removed, which leaves the run it was to replace as it was.
     */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (staged && fresh) {
            try {
                Directories.deleteRecursively(dir);
            } catch (IOException ignored) {
                // best effort: the next --overwrite or --resume of this run removes a leftover staging directory
            }
        }
        if (oldLock != null) {
            oldLock.close();
            oldLock = null;
        }
    }

    /** A one-line account of an I/O failure: the file and the reason ("No space left on device"). */
    public static String reason(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return reason(u.getCause());
        }
        if (e instanceof FileSystemException f) {
            String why = f.getReason() != null ? f.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file"
                    : e instanceof FileAlreadyExistsException ? "already exists"
                    : e instanceof DirectoryNotEmptyException ? "directory not empty" : e.getClass().getSimpleName();
            return (f.getFile() != null ? f.getFile() + ": " : "") + why;
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.split("\n")[0];
    }

    /** An I/O failure as one line: what was being written and why it failed. */
    public static String ioFailure(UncheckedIOException e) {
        String why = reason(e.getCause());
        String what = e.getMessage();
        if (what == null || what.equals(String.valueOf(e.getCause()))) {
            return why;
        }
        return what.contains(why) ? what : what + " (" + why + ")";
    }
}
