package dev.curlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The head-free scoring pass gives the very hidden states the full scoring pass gives. */
class HiddenOnlyTest {

    @Test
    void hiddenStatesWithoutTheHeadAreThoseOfTheFullPass() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 16, 257), 3)) {
            WindowScorer scorer = new WindowScorer(model);
            Random r = new Random(5);
            List<int[]> windows = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int[] w = new int[17];
                for (int j = 0; j < w.length; j++) {
                    w[j] = r.nextInt(257);
                }
                windows.add(w);
            }
            try (NDManager step = model.manager().newSubManager()) {
                NDArray full = scorer.score(step, windows, false, true).hidden();
                long before = scorer.forwardedWindows();
                NDArray trunk = scorer.hiddenOnly(step, windows);
                assertEquals(before + 6, scorer.forwardedWindows(), "one pass of the six windows");
                assertEquals(full.getShape(), trunk.getShape());
                assertArrayEquals(full.toFloatArray(), trunk.toFloatArray(), 0f, "bit-identical");
            }
        }
    }
}
