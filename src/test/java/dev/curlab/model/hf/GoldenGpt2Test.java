package dev.curlab.model.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.model.Gpt2Model;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Our loader and model against logits from an independent implementation: a tiny random GPT-2 in
 * the Hugging Face layout and its logits, written by scripts/gpt2-golden.py (numpy, float64, sharing
 * no code with curlab). Loader and model agreeing with each other proves nothing about the
 * orientation of the (in, out) Conv1D weights; this does, including the square attn.c_proj.
 */
class GoldenGpt2Test {
    /** float32 model against float64 reference, logits of size ~1-5: a few ulps of accumulated rounding. */
    static final double TOLERANCE = 1e-4;

    @Test
    void logitsMatchTheNumpyReference() throws Exception {
        Path dir = Path.of(GoldenGpt2Test.class.getResource("/golden/tiny-gpt2/config.json").toURI()).getParent();
        JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden-logits.json").toFile());
        JsonNode tokens = golden.get("tokens");
        JsonNode expected = golden.get("logits");
        int t = tokens.size();
        try (Gpt2Model model = HfGpt2.open(dir, "golden")) {
            int v = model.config().vocab();
            assertEquals(13, v);
            assertEquals(t, model.config().context());
            float[] logits;
            try (NDManager step = model.manager().newSubManager()) {
                long[] ids = new long[t];
                for (int i = 0; i < t; i++) {
                    ids[i] = tokens.get(i).asLong();
                }
                NDArray x = step.create(ids, new Shape(1, t));
                logits = model.logits(step, model.hidden(step, x)).toFloatArray();
            }
            double worst = 0;
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < v; j++) {
                    double want = expected.get(i).get(j).asDouble();
                    worst = Math.max(worst, Math.abs(logits[i * v + j] - want));
                    assertEquals(want, logits[i * v + j], TOLERANCE, "logit (position " + i + ", token " + j + ")");
                }
            }
            assertTrue(worst < TOLERANCE, "max |difference| " + worst);
        }
    }
}
