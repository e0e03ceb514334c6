package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resume's shape check names every field that differs, both values, in a fixed order. */
class RlCheckpointsTest {

    private static Map<String, Object> shape(int layers, int d, int heads, int context, int vocab) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("d_model", d);
        m.put("heads", heads);
        m.put("context", context);
        m.put("vocab", vocab);
        return m;
    }

    @Test
    void shapeDifferenceListsWhatDiffers() {
        Map<String, Object> run = shape(2, 64, 2, 64, 257);
        assertEquals("", RlCheckpoints.shapeDifference(shape(2, 64, 2, 64, 257), run));
        Map<String, Object> fromJson = new LinkedHashMap<>(shape(2, 64, 2, 64, 257));
        fromJson.put("vocab", 257L); // JSON may read a number back as another boxed type
        assertEquals("", RlCheckpoints.shapeDifference(fromJson, run));
        assertEquals("d_model 128 in the checkpoint, 64 expected; context 32 in the checkpoint, 64 expected",
                RlCheckpoints.shapeDifference(shape(2, 128, 2, 32, 257), run));
        Map<String, Object> missing = shape(2, 64, 2, 64, 257);
        missing.remove("heads");
        assertEquals("heads (none) in the checkpoint, 2 expected", RlCheckpoints.shapeDifference(missing, run));
        assertEquals("it records no model shape", RlCheckpoints.shapeDifference(null, run));
    }
}
