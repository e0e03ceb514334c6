package dev.curlab.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.util.Directories;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints under {@code RUN/checkpoints/step-NNNNNNNN/}: tensor groups as safetensors files plus
 * {@code state.json} (format, version, counters, generator states, file sizes and CRC32s). Written
 * atomically: into a temporary directory, every file fsynced, then renamed; the last {@link #KEEP}
 * are kept. A crash at any point leaves the previous checkpoint intact.
 * <p>
 * Each loop's state is a typed record written and read through its {@link StateCodec}
 * ({@link #write(long, Map, Object, StateCodec)}, {@link #loadLatest(NDManager, StateCodec, java.util.function.Consumer)}).
 * The on-disk format is versioned: a state.json that names no version is read as version 1, and one
 * of a newer version than {@link #VERSION} is refused with a hint, never read as something else.
 */
public final class CheckpointStore {
    public static final String FORMAT = "curlab-checkpoint";
    public static final int VERSION = 1;
    public static final int KEEP = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path root;

    public CheckpointStore(Path runDir) {
        this.root = runDir.resolve("checkpoints");
    }

    public Path root() {
        return root;
    }

    /** A checkpoint read back: its tensor groups (in {@code manager}) and its state.json as read. */
    public record Loaded(Path dir, Map<String, Map<String, NDArray>> tensors, Map<String, Object> state) {
    }

    /** A checkpoint read back as a loop's typed state: its step, tensor groups (in the caller's manager) and state record. */
    public record Restored<S>(Path dir, long step, Map<String, Map<String, NDArray>> tensors, S state) {
    }

    /** A checkpoint written in a newer format than this curlab reads: refused, never skipped for an older one. */
    public static final class NewerFormatError extends UserError {
        NewerFormatError(String message) {
            super(message);
        }
    }

    /** Writes {@code state} (through {@code codec}) and {@code tensorGroups} as the checkpoint of {@code step}; returns its directory. */
    public <S> Path write(long step, Map<String, Map<String, NDArray>> tensorGroups, S state, StateCodec<S> codec) {
        return write(step, tensorGroups, codec.encode(state));
    }

    /** The newest checkpoint that reads back intact, as a typed state; damaged ones are skipped (and named). */
    public <S> Optional<Restored<S>> loadLatest(NDManager manager, StateCodec<S> codec, java.util.function.Consumer<String> warn) {
        return loadLatest(manager, warn).map(ck -> new Restored<>(ck.dir(), ((Number) ck.state().get("step")).longValue(), ck.tensors(),
                codec.decode(ck.state(), version(ck.state()))));
    }

    /** The format version of a state.json (1 when it names none: the first format wrote none in its early days). */
    static int version(Map<String, Object> state) {
        return state.get("version") instanceof Number v ? v.intValue() : 1;
    }

    /** Writes a checkpoint for {@code step} and prunes old ones; returns its directory. */
    public Path write(long step, Map<String, Map<String, NDArray>> tensorGroups, Map<String, Object> state) {
        String name = String.format("step-%08d", step);
        Path tmp = root.resolve(".tmp-" + name);
        try {
            Files.createDirectories(root);
            Directories.deleteRecursively(tmp);
            Files.createDirectories(tmp);
            Map<String, Object> files = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, NDArray>> g : tensorGroups.entrySet()) {
                if (g.getValue().isEmpty()) {
                    continue;
                }
                Path f = tmp.resolve(g.getKey() + ".safetensors");
                TensorFile.Written w = TensorFile.write(f, g.getValue());           // streamed: one tensor on the heap at a time
                files.put(f.getFileName().toString(), Map.of("bytes", w.bytes(), "crc32", w.crc32()));
            }
            Map<String, Object> full = new LinkedHashMap<>();
            full.put("format", FORMAT);
            full.put("version", VERSION);
            full.put("step", step);
            full.put("files", files);
            full.putAll(state);
            writeSynced(tmp.resolve("state.json"), JSON.writeValueAsBytes(full));
            fsyncDir(tmp);
            Path target = root.resolve(name);
            Directories.deleteRecursively(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            fsyncDir(root);
            prune();
            return target;
        } catch (IOException e) {
            try {
                Directories.deleteRecursively(tmp); // a full disk must not keep half a checkpoint
            } catch (IOException ignored) {
                // the next write of this step deletes it first
            }
            throw new UncheckedIOException("cannot write checkpoint " + name + " in " + root + " (" + RunDirectory.reason(e) + ")", e);
        }
    }

    /** Completed checkpoints, newest first. */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{8}") && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest checkpoint that reads back intact, skipping (and naming) damaged ones. */
    public Optional<Loaded> loadLatest(NDManager manager, java.util.function.Consumer<String> warn) {
        for (Path dir : list()) {
            try {
                return Optional.of(load(dir, manager));
            } catch (NewerFormatError e) {
                throw e;
            } catch (UserError e) {
                warn.accept(e.getMessage() + "; trying an older checkpoint");
            }
        }
        return Optional.empty();
    }

    /** Reads and verifies one checkpoint directory. */
    @SuppressWarnings("unchecked")
    public static Loaded load(Path dir, NDManager manager) {
        Path stateFile = dir.resolve("state.json");
        Map<String, Object> state;
        try {
            state = JSON.readValue(stateFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new UserError("checkpoint " + dir + " is unreadable or truncated (state.json: " + firstLine(e) + ")");
        }
        Object v = state.get("version");
        if (!FORMAT.equals(state.get("format")) || v != null && !(v instanceof Number) || version(state) < 1) {
            throw new UserError("checkpoint " + dir + " is not a " + FORMAT + " version " + VERSION + " checkpoint");
        }
        if (version(state) > VERSION) {
            throw new NewerFormatError("checkpoint " + dir + " is in " + FORMAT + " format version " + version(state)
                    + ", newer than this curlab reads (version " + VERSION + "); resume it with the curlab that wrote it, or a newer one");
        }
        Map<String, Map<String, NDArray>> tensors = new LinkedHashMap<>();
        Map<String, Object> files = (Map<String, Object>) state.getOrDefault("files", Map.of());
        for (Map.Entry<String, Object> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            Map<String, Object> meta = (Map<String, Object>) f.getValue();
            long size;
            long crc;
            try {
                size = Files.size(file);
                crc = TensorFile.crc32(file);                                      // streamed, as it was written
            } catch (IOException e) {
                throw new UserError("checkpoint " + dir + " is missing " + f.getKey());
            }
            long expected = ((Number) meta.get("bytes")).longValue();
            if (size != expected) {
                throw new UserError("checkpoint file " + file + " is truncated or corrupt (" + size + " bytes, expected " + expected + ")");
            }
            long expectedCrc = ((Number) meta.get("crc32")).longValue();
            if (crc != expectedCrc) {
                throw new UserError("checkpoint file " + file + " is corrupt: its CRC32 is " + hex(crc) + ", expected "
                        + hex(expectedCrc) + " (the size, " + expected + " bytes, is right)");
            }
            NDList list;
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                list = NDList.decode(manager, in);
            } catch (IOException | RuntimeException e) {
                throw new UserError("checkpoint file " + file + " cannot be decoded: " + firstLine(e));
            }
            Map<String, NDArray> group = new LinkedHashMap<>();
            for (NDArray a : list) {
                group.put(a.getName(), a);
            }
            tensors.put(f.getKey().replace(".safetensors", ""), group);
        }
        return new Loaded(dir, tensors, state);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private void prune() throws IOException {
        List<Path> all = new ArrayList<>(list());
        for (int i = KEEP; i < all.size(); i++) {
            Directories.deleteRecursively(all.get(i));
        }
    }

    private static String hex(long crc) {
        return String.format("%08x", crc);
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems do not allow opening directories; the rename is still atomic.
        }
    }

}
