package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.util.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generation with the key/value cache against the naive full recomputation: the same token ids at the
 * same seed, greedy and sampled, for prompts of different lengths (left padding), repeated prompts (a
 * GRPO group), rows that end early (the cache drops them) and rows that reach the context; native
 * memory flat.
 */
class CachedDecoderTest {
    private static final ByteTokenizer TOK = new ByteTokenizer();

    private static void assertSameTokens(Gpt2Model model, StopRule rule, List<String> texts, int maxNew, double tau, long seed) {
        Sampler s = new Sampler(model, TOK, rule);
        List<int[]> prompts = texts.stream().map(s::encodePrompt).toList();
        Sampler.Result naive;
        Sampler.Result cached;
        try (NDManager m = model.manager().newSubManager()) {
            naive = s.generateNaive(m, prompts, maxNew, tau, new Rng(seed));
            cached = s.generate(m, prompts, maxNew, tau, new Rng(seed));
        }
        String where = model.config().preset() + " T=" + tau + " seed " + seed + " stop " + rule.spec();
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(naive.completions().get(i).tokens(), cached.completions().get(i).tokens(), where + " row " + i);
            assertEquals(naive.completions().get(i).text(), cached.completions().get(i).text(), where + " row " + i);
        }
        assertTrue(cached.forwardTokens() < naive.forwardTokens() || maxNew == 1, where + ": the cache computes fewer positions");
    }

    @Test
    void sameTokensAsTheNaiveDecoderAtEverySeedAndTemperature() {
        List<String> prompts = List.of("1+1=", "rev abcdef=", "12*3=", "1+1=", "1+1=", "7+(8+9)=", "x");
        for (String preset : List.of("pico", "nano")) {
            try (Gpt2Model model = new Gpt2Model(GptConfig.preset(preset, 32, TOK.vocabSize()), 11)) {
                for (double tau : new double[] {0, 0.7, 1.0, 1.6}) {
                    for (long seed : new long[] {1, 2, 3}) {
                        assertSameTokens(model, StopRule.parse("eos"), prompts, 10, tau, seed);
                    }
                }
            }
        }
    }

    @Test
    void rowsThatEndEarlyOrReachTheContextLeaveTheCache() {
        // context 16: the 14-byte prompt (15 ids) has room for one token, the 9-byte one for six, the others run to --max-new;
        // with a stop string of single common characters some rows end at different steps
        List<String> prompts = List.of("rev abcdefghij", "1+1=", "123456789", "1+1=", "x");
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 16, TOK.vocabSize()), 4)) {
            for (long seed = 1; seed <= 6; seed++) {
                assertSameTokens(model, StopRule.parse("eos"), prompts, 10, 1.3, seed);
                assertSameTokens(model, StopRule.parse("newline"), prompts, 10, 0, seed);
            }
            Sampler s = new Sampler(model, TOK, StopRule.parse("eos"));
            try (NDManager m = model.manager().newSubManager()) {
                List<Sampler.Completion> c = s.generate(m, prompts.stream().map(s::encodePrompt).toList(), 10, 1.0, new Rng(1)).completions();
                assertEquals(1, c.get(0).tokens().length);
                assertEquals(6, c.get(2).tokens().length);
                assertEquals(10, c.get(1).tokens().length);
            }
        }
    }

    @Test
    void theCacheIsFreedAfterEachGeneration() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, TOK.vocabSize()), 3)) {
            Sampler s = new Sampler(model, TOK, StopRule.parse("eos"));
            List<int[]> prompts = List.of(s.encodePrompt("3+4="), s.encodePrompt("12+345="), s.encodePrompt("5*5="));
            int modelLive = -1;
            try (NDManager m = model.manager().newSubManager()) {
                for (int k = 0; k < 4; k++) {
                    s.generate(m, prompts, 12, 1.0, new Rng(k));
                    assertEquals(0, m.getManagedArrays().size(), "arrays left in the caller's manager after generation " + k);
                    int now = model.manager().getManagedArrays().size();
                    modelLive = k == 0 ? now : modelLive;
                    assertEquals(modelLive, now, "live arrays under the model's manager after generation " + k);
                }
            }
        }
    }

    @Test
    void forwardTokensCountOnePrefillPerDistinctPromptThenOnePositionPerRow() {
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("pico", 32, TOK.vocabSize()), 2)) {
            Sampler s = new Sampler(model, TOK, StopRule.parse("eos"));
            List<int[]> prompts = List.of(s.encodePrompt("1+1="), s.encodePrompt("12*3="), s.encodePrompt("1+1="));  // 5, 6, 5 ids
            try (NDManager m = model.manager().newSubManager()) {
                Sampler.Result cached = s.generate(m, prompts, 4, 1.0, new Rng(3));
                Sampler.Result naive = s.generateNaive(m, prompts, 4, 1.0, new Rng(3));
                assertEquals(4, cached.completions().get(1).tokens().length, "a random policy runs to --max-new");
                assertEquals(2 * 6 + 3 * 3, cached.forwardTokens());        // 2 distinct prompts padded to 6, then 3 steps of 3 rows
                assertEquals(3 * (6 + 7 + 8 + 9), naive.forwardTokens());   // 3 rows padded to 6, 7, 8, 9
            }
        }
    }
}
