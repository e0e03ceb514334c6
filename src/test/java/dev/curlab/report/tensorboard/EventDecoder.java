package dev.curlab.report.tensorboard;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of TensorBoard event files for tests, written apart from {@link EventFile}: it checks both
 * CRCs of every record (with its own CRC32C and mask) and decodes any Event field it meets, skipping
 * unknown ones by wire type as protobuf readers do.
 */
public final class EventDecoder {
    /** One decoded event; {@code scalars} in file order, {@code fileVersion} null unless set. */
    public record Event(double wallTime, long step, String fileVersion, Map<String, Float> scalars) {
    }

    public static List<Event> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            check(len, b.getInt(), "length");
            byte[] data = new byte[(int) n];
            b.get(data);
            check(data, b.getInt(), "data");
            out.add(event(data));
        }
        return out;
    }

    /** Every event of the files, in order, leaving out each file's version event. */
    public static List<Event> records(List<Path> files) throws IOException {
        List<Event> out = new ArrayList<>();
        for (Path f : files) {
            List<Event> es = read(f);
            if (es.isEmpty() || !"brain.Event:2".equals(es.get(0).fileVersion())) {
                throw new AssertionError(f + " does not start with the file version event");
            }
            out.addAll(es.subList(1, es.size()));
        }
        return out;
    }

    /** The scalars of a run directory's event files as "step tag value" lines, wall-clock tags ({@code time/}) left out. */
    public static List<String> runScalarsWithoutTimes(Path runDir) throws IOException {
        List<Path> files;
        try (var s = Files.list(runDir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(EventFile.PREFIX)).sorted().toList();
        }
        List<String> out = new ArrayList<>();
        for (Event e : records(files)) {
            e.scalars().forEach((tag, v) -> {
                if (!tag.startsWith("time/")) {
                    out.add(e.step() + " " + tag + " " + v);
                }
            });
        }
        return out;
    }

    private static void check(byte[] bytes, int stored, String what) {
        long crc = crc32c(bytes);
        int masked = (int) ((((crc >>> 15) | (crc << 17)) + 0xa282ead8L) & 0xFFFFFFFFL);
        if (masked != stored) {
            throw new AssertionError("bad masked CRC of the " + what);
        }
    }

    /** CRC-32C (Castagnoli), bitwise, reflected polynomial 0x82F63B78. */
    static long crc32c(byte[] bytes) {
        int crc = 0xFFFFFFFF;
        for (byte x : bytes) {
            crc ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        return ~crc & 0xFFFFFFFFL;
    }

    private static Event event(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        double wall = 0;
        long step = 0;
        String version = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (field == 1 && wire == 1) {
                wall = b.getDouble();
            } else if (field == 2 && wire == 0) {
                step = varint(b);
            } else if (field == 3 && wire == 2) {
                version = new String(bytes(b), StandardCharsets.UTF_8);
            } else if (field == 5 && wire == 2) {
                summary(ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN), scalars);
            } else {
                skip(b, wire);
            }
        }
        return new Event(wall, step, version, scalars);
    }

    private static void summary(ByteBuffer b, Map<String, Float> scalars) {
        while (b.hasRemaining()) {
            long key = varint(b);
            if (key == ((1 << 3) | 2)) {
                ByteBuffer v = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                String tag = null;
                Float value = null;
                while (v.hasRemaining()) {
                    long k = varint(v);
                    if (k == ((1 << 3) | 2)) {
                        tag = new String(bytes(v), StandardCharsets.UTF_8);
                    } else if (k == ((2 << 3) | 5)) {
                        value = v.getFloat();
                    } else {
                        skip(v, (int) (k & 7));
                    }
                }
                scalars.put(tag, value);
            } else {
                skip(b, (int) (key & 7));
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] x = new byte[(int) varint(b)];
        b.get(x);
        return x;
    }

    private static void skip(ByteBuffer b, int wire) {
        switch (wire) {
            case 0 -> varint(b);
            case 1 -> b.position(b.position() + 8);
            case 2 -> bytes(b);
            case 5 -> b.position(b.position() + 4);
            default -> throw new AssertionError("wire type " + wire);
        }
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b.get() & 0xFF;
            v |= (long) (x & 0x7F) << shift;
            if (x < 0x80) {
                return v;
            }
        }
    }
}
