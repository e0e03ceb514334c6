package dev.curlab.run;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process per run directory: an OS lock ({@link FileChannel#tryLock()}) on {@code RUN/.lock},
 * a file that holds the owner's pid while it trains and is deleted when the lock is released. The
 * OS drops the lock when its process dies (even by {@code kill -9}), so a stale file is no obstacle.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";
    /** Lock files this JVM holds: a second channel on one of them must never be opened (closing it would drop the lock). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final FileChannel channel;
    private final FileLock lock;
    private Path file;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks the existing directory {@code dir} for this process, or throws a one-line {@link UserError}
     * naming {@code option} (--out or --resume) and the pid of the process that holds it.
     */
    public static RunLock acquire(Path dir, String option) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        for (int attempt = 0; attempt < 10; attempt++) {
            if (HELD.contains(file)) {
                throw busy(option, dir, String.valueOf(ProcessHandle.current().pid()));
            }
            FileChannel ch;
            Object key;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                key = fileKey(file);
            } catch (IOException e) {
                throw new UserError(option + " " + dir + ": cannot lock the run directory (" + RunDirectory.reason(e) + ")");
            }
            try {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l == null) {
                    String pid = readPid(ch);
                    ch.close();
                    throw busy(option, dir, pid);
                }
                // The holder deletes the file as it releases it: make sure we locked the file that is still there.
                if (!Objects.equals(key, fileKey(file))) {
                    l.release();
                    ch.close();
                    continue;
                }
                byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(pid), 0);
                ch.force(false);
                HELD.add(file);
                return new RunLock(file, ch, l);
            } catch (IOException e) {
                closeQuietly(ch);
                throw new UserError(option + " " + dir + ": cannot lock the run directory (" + RunDirectory.reason(e) + ")");
            }
        }
        throw new UserError(option + " " + dir + ": cannot lock the run directory (its lock file keeps changing)");
    }

    /**
     * Whether another process holds the lock of {@code dir} now (probed with a lock taken and
     * dropped at once; no file is created). A process that waits for a run directory polls this.
     */
    public static boolean held(Path dir) {
        Path file = dir.resolve(FILE).toAbsolutePath().normalize();
        if (HELD.contains(file)) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;                     // unreadable: acquiring it will say why
        }
    }

    private static UserError busy(String option, Path dir, String pid) {
        return new UserError(option + " " + dir + " is in use by another curlab process (pid " + pid
                + ", which holds " + dir.resolve(FILE) + "); wait for it to finish or stop it first");
    }

    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String readPid(FileChannel ch) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            ch.read(buf, 0);
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? "unknown" : s;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The lock file now lives in {@code newDir} (its directory was renamed). */
    void moved(Path newDir) {
        Path f = newDir.resolve(FILE).toAbsolutePath().normalize();
        HELD.remove(file);
        HELD.add(f);
        file = f;
    }

    /** Deletes the lock file and releases the lock (deleting first, so no one can lock a file about to go). */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | SecurityException ignored) {
            // A read-only or vanished directory: the OS lock is still released below.
        }
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            HELD.remove(file);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
