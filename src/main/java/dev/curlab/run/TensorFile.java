package dev.curlab.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One checkpoint tensor group as a safetensors file, written and checked as a stream: the header,
 * then each tensor's bytes in turn, so that the Java heap never holds more than one tensor (the
 * whole file in one byte array ran a GPT-2 RL checkpoint out of a 2 GB heap). The CRC32 is computed
 * on the way, and read back the same way.
 */
final class TensorFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorFile() {
    }

    /** What was written: the file's size and CRC32. */
    record Written(long bytes, long crc32) {
    }

    /** Writes {@code group} (in map order) to {@code file}, fsynced. */
    static Written write(Path file, Map<String, NDArray> group) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, NDArray> t : group.entrySet()) {
            NDArray a = t.getValue();
            long bytes = a.size() * a.getDataType().getNumOfBytes();
            header.put(t.getKey(), Map.of("dtype", dtype(a.getDataType()), "shape", a.getShape().getShape(),
                    "data_offsets", new long[] {offset, offset + bytes}));
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        ByteBuffer head = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(json.length).put(json).flip();
        CRC32 crc = new CRC32();
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            total += put(ch, head, crc);
            for (NDArray a : group.values()) {
                total += put(ch, a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN), crc); // one tensor on the heap at a time
            }
            ch.force(true);
        }
        return new Written(total, crc.getValue());
    }

    /** The CRC32 of {@code file}, read in 1 MiB chunks. */
    static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    private static long put(FileChannel ch, ByteBuffer b, CRC32 crc) throws IOException {
        int n = b.remaining();
        crc.update(b.duplicate());
        while (b.hasRemaining()) {
            ch.write(b);
        }
        return n;
    }

    private static String dtype(DataType t) {
        return switch (t) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case FLOAT16 -> "F16";
            case BFLOAT16 -> "BF16";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case BOOLEAN -> "BOOL";
            default -> throw new IllegalArgumentException("no safetensors dtype for " + t);
        };
    }
}
