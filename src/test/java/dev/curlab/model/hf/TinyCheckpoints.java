package dev.curlab.model.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
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

/** Test helpers: tiny models, hand-assembled safetensors files and exact logits. */
public final class TinyCheckpoints {
    /** 2 layers, d 32, 2 heads, context 16, vocabulary 50. */
    public static final GptConfig TINY = new GptConfig("custom", 2, 32, 2, 16, 50);

    private TinyCheckpoints() {
    }

    /** One tensor of a hand-assembled file: raw little-endian bytes of {@code dtype}. */
    public record Raw(String name, String dtype, long[] shape, byte[] bytes) {
        public static Raw f32(String name, long[] shape, float[] v) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            return new Raw(name, "F32", shape, b.array());
        }

        /** F16 of values that are exactly representable (normal halves or zero). */
        public static Raw f16(String name, long[] shape, float[] v) {
            ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                b.putShort(toHalf(x));
            }
            return new Raw(name, "F16", shape, b.array());
        }

        /** BF16: the upper 16 bits of each fp32 (exact for values with 8 significant bits). */
        public static Raw bf16(String name, long[] shape, float[] v) {
            ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                b.putShort((short) (Float.floatToIntBits(x) >>> 16));
            }
            return new Raw(name, "BF16", shape, b.array());
        }
    }

    static short toHalf(float x) {
        if (x == 0) {
            return 0;
        }
        int bits = Float.floatToIntBits(x);
        int sign = (bits >>> 16) & 0x8000;
        int exp = Math.getExponent(x) + 15;
        if (exp <= 0 || exp >= 31 || (bits & 0x1FFF) != 0) {
            throw new IllegalArgumentException(x + " is not a normal half");
        }
        return (short) (sign | (exp << 10) | ((bits >>> 13) & 0x3FF));
    }

    /** Writes a safetensors file by hand: header JSON (unpadded), then the tensors back to back. */
    public static Path writeRaw(Path file, List<Raw> tensors) throws IOException {
        StringBuilder h = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long off = 0;
        for (Raw t : tensors) {
            StringBuilder shape = new StringBuilder();
            for (long d : t.shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(d);
            }
            h.append(",\"").append(t.name()).append("\":{\"dtype\":\"").append(t.dtype()).append("\",\"shape\":[")
                    .append(shape).append("],\"data_offsets\":[").append(off).append(',').append(off + t.bytes().length).append("]}");
            off += t.bytes().length;
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate((int) (8 + json.length + off)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        for (Raw t : tensors) {
            out.put(t.bytes());
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, out.array());
    }

    /** The model's parameters as F32 raw tensors, by HF name. */
    public static Map<String, Raw> asRaw(Gpt2Model m) {
        Map<String, Raw> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> p : m.parameters().entrySet()) {
            out.put(p.getKey(), Raw.f32(p.getKey(), p.getValue().getShape().getShape(), p.getValue().toFloatArray()));
        }
        return out;
    }

    /** Logits (B, T, V) of the model for random token windows, as a flat array. */
    public static float[] logits(Gpt2Model m, long seed, int batch, int length) {
        try (NDManager step = m.manager().newSubManager()) {
            java.util.Random r = new java.util.Random(seed);
            long[] ids = new long[batch * length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(m.config().vocab());
            }
            NDArray x = step.create(ids, new Shape(batch, length));
            return m.logits(step, m.hidden(step, x)).toFloatArray();
        }
    }

    /** Mean losses of random windows, for models whose logits are compared through the scorer. */
    public static float[] losses(Gpt2Model m, long seed, int batch, int length) {
        try (NDManager step = m.manager().newSubManager()) {
            java.util.Random r = new java.util.Random(seed);
            List<int[]> w = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                int[] t = new int[length + 1];
                for (int j = 0; j < t.length; j++) {
                    t[j] = r.nextInt(m.config().vocab());
                }
                w.add(t);
            }
            return new WindowScorer(m).score(step, w, false, false).loss();
        }
    }
}
