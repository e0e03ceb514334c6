package dev.curlab.report.tensorboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file ({@code events.out.tfevents.<time>.<host>}), written by hand: TFRecord
 * framing (uint64 length, masked CRC32C of the length, the data, masked CRC32C of the data) around
 * {@code Event} protobufs. The first event carries {@code file_version = "brain.Event:2"}; each later
 * one a step and a {@code Summary} of {@code simple_value} scalars. Written by hand because the format
 * is these few fields, and a protobuf library would add a dependency whose generated code must match it.
 */
public final class EventFile implements AutoCloseable {
    public static final String PREFIX = "events.out.tfevents.";
    static final String FILE_VERSION = "brain.Event:2";
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path path;
    private final FileChannel channel;

    /** One scalar of an event: a {@code /}-namespaced tag and its value. */
    public record Scalar(String tag, float value) {
    }

    private EventFile(Path path, double wallTime) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        append(encodeEvent(wallTime, 0, FILE_VERSION, List.of()));
    }

    /** Creates a new event file in {@code dir}, named after the time and host ({@code .1}, {@code .2}, ... appended if taken). */
    public static EventFile create(Path dir, double wallTime) {
        String base = PREFIX + String.format(Locale.ROOT, "%010d", (long) wallTime) + "." + host();
        Path p = dir.resolve(base);
        for (int i = 1; Files.exists(p); i++) {
            p = dir.resolve(base + "." + i);
        }
        try {
            return new EventFile(p, wallTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p, e);
        }
    }

    public Path path() {
        return path;
    }

    /** Appends one event: the step's scalars (possibly none, which keeps one event per metrics record). */
    public void write(double wallTime, long step, List<Scalar> scalars) {
        try {
            append(encodeEvent(wallTime, step, null, scalars));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    public void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void append(byte[] event) throws IOException {
        channel.write(ByteBuffer.wrap(frame(event)));
    }

    // ---------------------------------------------------------------- TFRecord framing

    /** One TFRecord: uint64 length (little-endian), masked CRC32C of those 8 bytes, the data, masked CRC32C of the data. */
    static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** TFRecord's masked CRC32C: rotate right by 15 bits, then add 0xa282ead8. */
    static int maskedCrc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    // ---------------------------------------------------------------- Event protobuf

    /**
     * {@code Event}: wall_time (1, double), step (2, int64), file_version (3, string) or summary (5,
     * {@code Summary}: repeated value (1, {@code Value}: tag (1, string), simple_value (2, float))).
     * A zero step is left out, as proto3 does.
     */
    static byte[] encodeEvent(double wallTime, long step, String fileVersion, List<Scalar> scalars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        key(out, 1, 1);
        fixed64(out, Double.doubleToLongBits(wallTime));
        if (step != 0) {
            key(out, 2, 0);
            varint(out, step);
        }
        if (fileVersion != null) {
            bytesField(out, 3, fileVersion.getBytes(StandardCharsets.UTF_8));
        } else {
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            for (Scalar s : scalars) {
                ByteArrayOutputStream value = new ByteArrayOutputStream();
                bytesField(value, 1, s.tag().getBytes(StandardCharsets.UTF_8));
                key(value, 2, 5);
                fixed32(value, Float.floatToIntBits(s.value()));
                bytesField(summary, 1, value.toByteArray());
            }
            bytesField(out, 5, summary.toByteArray());
        }
        return out.toByteArray();
    }

    private static void key(ByteArrayOutputStream out, int field, int wireType) {
        varint(out, ((long) field << 3) | wireType);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void fixed64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void fixed32(ByteArrayOutputStream out, int v) {
        for (int i = 0; i < 4; i++) {
            out.write(v >>> (8 * i));
        }
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
        key(out, field, 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    // ---------------------------------------------------------------- naming and resume

    private static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            h = "localhost";
        }
        h = h.replaceAll("[^A-Za-z0-9._-]", "_");
        return h.isEmpty() ? "localhost" : h;
    }

    /**
     * Keeps the first {@code records} events after each file's version event, across {@code files} in
     * order, and truncates what follows (a resumed run's events past its checkpoint). Returns how many
     * record events remain in all.
     */
    public static long keepRecords(List<Path> files, long records) {
        long seen = 0;
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long pos = 0;
                boolean first = true;
                while (pos + 12 <= size) {
                    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    ch.read(header, pos);
                    long next = pos + 12 + header.flip().getLong() + 4;
                    if (next > size) {
                        break;                          // a record cut short by a kill
                    }
                    if (!first && seen >= records) {
                        break;
                    }
                    if (!first) {
                        seen++;
                    }
                    first = false;
                    pos = next;
                }
                ch.truncate(pos);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot trim " + f, e);
            }
        }
        return seen;
    }
}
