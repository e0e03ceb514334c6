package dev.curlab.model.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file, read lazily: the header is parsed on {@link #open}, each tensor's bytes are
 * memory-mapped only when {@link #floats} asks for it, so a 500 MB GPT-2 file costs one tensor at a
 * time.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the raw little-endian data; offsets count from the first byte after the header.
 * F32, F16, BF16 and F64 tensors are read as fp32.
 */
public final class SafeTensors implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** One tensor's header entry; {@code begin}/{@code end} are absolute file offsets. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public String shapeString() {
            return Arrays.toString(shape).replace('[', '(').replace(']', ')');
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final Map<String, Entry> entries;

    private SafeTensors(Path file, FileChannel channel, Map<String, Entry> entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    /** Opens {@code file} and parses its header; a malformed file is a one-line {@link UserError}. */
    public static SafeTensors open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        try {
            return new SafeTensors(file, ch, readHeader(file, ch));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            if (e instanceof UserError u) {
                throw u;
            }
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Map<String, Entry> readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (size < 8 || ch.read(len, 0) != 8) {
            throw corrupt(file, "shorter than the 8-byte header length");
        }
        long n = len.flip().getLong();
        if (n < 2 || n > MAX_HEADER || 8 + n > size) {
            throw corrupt(file, "header length " + n + " does not fit a file of " + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) n);
        while (header.hasRemaining()) {
            if (ch.read(header, 8 + header.position()) < 0) {
                throw corrupt(file, "truncated header");
            }
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw corrupt(file, "header is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "header is not a JSON object");
        }
        long dataStart = 8 + n;
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            Entry e = entry(file, f.getKey(), f.getValue(), dataStart);
            if (e.end() > size) {
                throw corrupt(file, "tensor " + e.name() + " ends at byte " + e.end() + " but the file has " + size);
            }
            out.put(e.name(), e);
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode v, long dataStart) {
        JsonNode dtype = v.get("dtype");
        JsonNode shape = v.get("shape");
        JsonNode offsets = v.get("data_offsets");
        if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
                || offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw corrupt(file, "tensor " + name + " lacks dtype, shape or data_offsets");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw corrupt(file, "tensor " + name + " has a bad shape " + shape);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        Entry e = new Entry(name, dtype.textValue(), dims, dataStart + begin, dataStart + end);
        int width = width(dtype.textValue());
        if (begin < 0 || end < begin || (width > 0 && end - begin != e.numel() * width)) {
            throw corrupt(file, "tensor " + name + " has data_offsets " + offsets + " that do not match "
                    + dtype.textValue() + " " + e.shapeString());
        }
        return e;
    }

    /** Bytes per element of a dtype, or -1 for a dtype curlab does not read. */
    private static int width(String dtype) {
        return switch (dtype) {
            case "F64" -> 8;
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> -1;
        };
    }

    /** True for the dtypes {@link #floats} converts. */
    public static boolean readable(String dtype) {
        return width(dtype) > 0;
    }

    private static UserError corrupt(Path file, String what) {
        return new UserError("safetensors file " + file + " is corrupt: " + what);
    }

    public Path file() {
        return file;
    }

    /** Tensor entries by name, in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The tensor's values as fp32, converted from F32, F16, BF16 or F64. */
    public float[] floats(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file);
        }
        int width = width(e.dtype());
        if (width < 0) {
            throw new UserError("safetensors file " + file + ": tensor " + e.name() + " has dtype " + e.dtype()
                    + " (expected F32, F16, BF16 or F64)");
        }
        if (e.numel() > Integer.MAX_VALUE - 8) {
            throw new UserError("safetensors file " + file + ": tensor " + e.name() + " is too large " + e.shapeString());
        }
        int n = (int) e.numel();
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        MappedByteBuffer map;
        try {
            map = channel.map(FileChannel.MapMode.READ_ONLY, e.begin(), e.end() - e.begin());
        } catch (IOException ex) {
            throw new UserError("cannot read tensor " + e.name() + " from " + file + ": " + ex.getMessage());
        }
        ByteBuffer b = map.order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype()) {
            case "F32" -> b.asFloatBuffer().get(out);
            case "F64" -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) d.get(i);
                }
            }
            case "F16" -> {
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(s.get(i));
                }
            }
            default -> { // BF16: the upper half of an fp32
                ShortBuffer s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((s.get(i) & 0xFFFF) << 16);
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 bits to fp32 (exact: every half value is a float). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) { // inf or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) { // zero or subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to flush
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Writing
    // ----------------------------------------------------------------------------------------------

    /** A tensor to write: fp32 values in row-major order with their shape. */
    public record Tensor(long[] shape, float[] values) {
    }

    /**
     * Writes F32 tensors (in map order) with {@code __metadata__ {"format": "pt"}}, the header padded
     * with spaces to a multiple of 8 bytes as the reference implementation does.
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            long bytes = 4L * t.getValue().values().length;
            header.put(t.getKey(), Map.of("dtype", "F32", "shape", t.getValue().shape(),
                    "data_offsets", new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, head.flip());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                float[] v = t.values();
                for (int from = 0; from < v.length; ) {
                    int count = Math.min(v.length - from, chunk.capacity() / 4);
                    chunk.clear();
                    FloatBuffer f = chunk.asFloatBuffer();
                    f.put(v, from, count);
                    chunk.limit(count * 4);
                    writeFully(ch, chunk);
                    from += count;
                }
            }
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
