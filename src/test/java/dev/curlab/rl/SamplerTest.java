package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import dev.curlab.util.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batched, right-padded generation against a naive one-row, unpadded decoder; seeded sampling; flat native memory. */
class SamplerTest {

    /** Greedy decoding of one prompt, a full forward pass per token, no padding. */
    static int[] naiveGreedy(Gpt2Model model, int[] prompt, int maxNew, ByteTokenizer tok) {
        int[] seq = Arrays.copyOf(prompt, prompt.length);
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < maxNew; t++) {
            try (NDManager m = model.manager().newSubManager()) {
                long[] ids = Arrays.stream(seq).asLongStream().toArray();
                NDArray h = model.hiddenForScoring(m, m.create(ids, new Shape(1, seq.length)));
                float[] logits = model.logits(m, h).get(new NDIndex("0, -1, :")).toFloatArray();
                int id = Sampler.argmax(logits);
                out.add(id);
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = id;
                if (id == tok.endOfText() || id == '\n') {
                    break;
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void batchedGreedyEqualsNaiveDecodingOfEachRow() {
        ByteTokenizer tok = new ByteTokenizer();
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, tok.vocabSize()), 7)) {
            Sampler s = new Sampler(model, tok);
            List<int[]> prompts = List.of(s.encodePrompt("1+1="), s.encodePrompt("rev abcdef="), s.encodePrompt("12*3="));
            Sampler.Result r;
            try (NDManager m = model.manager().newSubManager()) {
                r = s.generate(m, prompts, 6, 0, null);
            }
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(naiveGreedy(model, prompts.get(i), 6, tok), r.completions().get(i).tokens(), "row " + i);
            }
            assertTrue(r.forwardTokens() > 0);
        }
    }

    @Test
    void samplingIsSeededAndMemoryStaysFlat() {
        ByteTokenizer tok = new ByteTokenizer();
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, tok.vocabSize()), 3)) {
            Sampler s = new Sampler(model, tok);
            List<int[]> prompts = List.of(s.encodePrompt("3+4="), s.encodePrompt("3+4="), s.encodePrompt("5*5="));
            List<String> first = null;
            int live = -1;
            for (int k = 0; k < 5; k++) {
                try (NDManager m = model.manager().newSubManager()) {
                    List<String> texts = s.generate(m, prompts, 8, 1.0, new Rng(11)).completions().stream()
                            .map(Sampler.Completion::text).toList();
                    if (first == null) {
                        first = texts;
                    }
                    assertEquals(first, texts);
                }
                int now = model.manager().getManagedArrays().size();
                if (k == 0) {
                    live = now;
                }
                assertEquals(live, now, "live arrays after generation " + k);
            }
        }
    }

    @Test
    void samplesFollowTheSoftmax() {
        // logits ln 1, ln 3 at temperature 1: p = 0.25, 0.75
        Rng rng = new Rng(5);
        int ones = 0;
        for (int i = 0; i < 20000; i++) {
            ones += Sampler.sample(new float[] {0f, (float) Math.log(3)}, 1.0, rng);
        }
        assertEquals(0.75, ones / 20000.0, 0.015);
    }

    @Test
    void aStopStringEndsGenerationWhereItFirstOccurs() {
        ByteTokenizer tok = new ByteTokenizer();
        try (Gpt2Model model = new Gpt2Model(GptConfig.preset("nano", 32, tok.vocabSize()), 7)) {
            Sampler eos = new Sampler(model, tok, StopRule.parse("eos"));
            for (String prompt : List.of("1+1=", "rev abcdef=")) {
                List<int[]> one = List.of(eos.encodePrompt(prompt));
                int[] free;
                try (NDManager m = model.manager().newSubManager()) {
                    free = eos.generate(m, one, 12, 0, null).completions().get(0).tokens();
                }
                assertEquals(12, free.length, "a random policy runs to --max-new");
                String stopAt = tok.decode(Arrays.copyOfRange(free, 3, 5));
                int k = 1;
                while (!tok.decode(Arrays.copyOf(free, k)).contains(stopAt)) {
                    k++;
                }
                Sampler cut = new Sampler(model, tok, StopRule.parse(stopAt.replace("\\", "\\\\")));
                try (NDManager m = model.manager().newSubManager()) {
                    Sampler.Completion c = cut.generate(m, one, 12, 0, null).completions().get(0);
                    assertArrayEquals(Arrays.copyOf(free, k), c.tokens(), prompt);
                    String all = tok.decode(c.tokens());
                    assertEquals(all.substring(0, all.indexOf(stopAt)), c.text(), prompt);
                }
            }
        }
    }
}
