package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.data.Window;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.model.WindowScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-source losses come from the same per-window losses as the mean, split by each window's source tag. */
class EvaluatorTest {
    static final int T = 8;

    static Window window(long id, Random rnd, String source) {
        int[] tokens = new int[T + 1];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(257);
        }
        return new Window(id, tokens, source, Double.NaN);
    }

    @Test
    void eachSourcesMeanIsItsWindowsAloneAndTheirWeightedMeanIsTheMean() {
        Random rnd = new Random(3);
        String[] tags = {"b", "a", "a", "c", "b", "a", "a"};   // 4 a, 2 b, 1 c; batches of 3 split the sources
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < tags.length; i++) {
            windows.add(window(i, rnd, tags[i]));
        }
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", T, 257), 5)) {
            WindowScorer scorer = new WindowScorer(model);
            Evaluator.Losses l = new Evaluator(3).losses(scorer, model.manager(), windows);
            assertEquals(List.of("a", "b", "c"), List.copyOf(l.bySource().keySet()));
            assertEquals(Map.of("a", 4L * T, "b", 2L * T, "c", 1L * T), l.tokens());
            for (String s : List.of("a", "b", "c")) {
                List<Window> only = windows.stream().filter(w -> w.source().equals(s)).toList();
                assertEquals(new Evaluator(32).meanLoss(scorer, model.manager(), only), l.bySource().get(s), 1e-5, s);
            }
            // Hand-check: (4 a + 2 b + 1 c) / 7 windows is the overall mean.
            double weighted = (4 * l.bySource().get("a") + 2 * l.bySource().get("b") + l.bySource().get("c")) / 7;
            assertEquals(l.mean(), weighted, 1e-9);
            assertEquals(new Evaluator(32).meanLoss(scorer, model.manager(), windows), l.mean(), 1e-5);
        }
    }

    @Test
    void windowsWithoutASourceCountOnlyInTheMean() {
        Random rnd = new Random(4);
        List<Window> windows = List.of(window(0, rnd, "a"), window(1, rnd, null), window(2, rnd, null));
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", T, 257), 5)) {
            WindowScorer scorer = new WindowScorer(model);
            Evaluator.Losses l = new Evaluator(32).losses(scorer, model.manager(), windows);
            assertEquals(List.of("a"), List.copyOf(l.bySource().keySet()));
            assertEquals(new Evaluator(32).meanLoss(scorer, model.manager(), windows.subList(0, 1)), l.bySource().get("a"), 1e-5);
            assertEquals(new Evaluator(32).meanLoss(scorer, model.manager(), windows), l.mean(), 0);
            Evaluator.Losses none = new Evaluator(32).losses(scorer, model.manager(), windows.subList(1, 3));
            assertEquals(Map.of(), none.bySource());
        }
    }
}
