package dev.curlab.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.report.tensorboard.EventFile;
import dev.curlab.report.tensorboard.ScalarTags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import dev.curlab.util.UserError;
import java.util.stream.Stream;

/**
 * metrics.jsonl: one JSON object per line, flushed per line; its byte length marks a checkpoint.
 * Each record is also one TensorBoard event (its numeric fields as scalars, tagged by {@link ScalarTags})
 * in an {@code events.out.tfevents.*} file beside it. A resumed run trims the earlier event files to
 * the records metrics.jsonl keeps and starts a new event file, so no step is logged twice.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FileChannel channel;
    private final ScalarTags tags;
    private final EventFile events;

    /** Opens for appending after truncating the file to {@code length} bytes (0 for a new run); {@code loop} is train or rl. */
    public MetricsLog(Path file, long length, String loop) {
        checkIntact(file, length);
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.truncate(length);
            channel.position(length);
            Path dir = file.toAbsolutePath().getParent();
            EventFile.keepRecords(eventFiles(dir), length == 0 ? 0 : lines(file));
            this.tags = new ScalarTags(loop);
            this.events = EventFile.create(dir, now());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /**
     * Refuses to resume over a metrics file that no longer holds what the checkpoint recorded: shorter
     * than its {@code length} bytes (cut short, steps would be lost from the log) or not ending a line
     * there (edited). Continuing would silently drop steps or glue a half line to the next one.
     */
    static void checkIntact(Path file, long length) {
        if (length == 0) {
            return;
        }
        long size;
        byte last;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            last = size >= length && ch.read(b, length - 1) == 1 ? b.get(0) : 0;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("--resume: " + file + " is missing, but the checkpoint recorded " + length
                    + " bytes of metrics; restore it (or start a new run) so that no step is lost from the log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (size < length) {
            throw new UserError("--resume: " + file + " is " + size + " bytes, shorter than the " + length
                    + " bytes the checkpoint recorded (it was cut short); restore it (or start a new run) so that no step is lost from the log");
        }
        if (last != '\n') {
            throw new UserError("--resume: " + file + " does not end a line at byte " + length
                    + ", where the checkpoint's metrics ended (it was edited); restore it (or start a new run)");
        }
    }

    /** The TensorBoard event files in {@code dir}, in TensorBoard's (name) order. */
    public static List<Path> eventFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(EventFile.PREFIX)).sorted().toList();
        }
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
            return s.count();
        }
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    public void write(Map<String, Object> record) {
        try {
            byte[] line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.write(java.nio.ByteBuffer.wrap(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
        long step = record.get("step") instanceof Number n ? n.longValue() : 0;
        events.write(now(), step, tags.scalars(step, record));
    }

    /** Bytes written so far. */
    public long length() {
        try {
            return channel.position();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sync() {
        try {
            channel.force(false);
            events.sync();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            events.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
