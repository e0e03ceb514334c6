package dev.curlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.curlab.data.ByteTokenizer;
import dev.curlab.data.DataException;
import dev.curlab.eval.MultipleChoiceEval.Question;
import dev.curlab.model.Gpt2Model;
import dev.curlab.model.GptConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HellaSwag and MMLU as lm-evaluation-harness prepares and scores them, on fixtures written here. */
class MultipleChoiceEvalTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer();

    @TempDir
    Path dir;

    static String hellaswagLine(String label, String ctxA, String ctxB, List<String> endings, int gold) {
        StringBuilder e = new StringBuilder();
        for (String s : endings) {
            e.append(e.length() == 0 ? "" : ",").append('"').append(s).append('"');
        }
        return "{\"activity_label\":\"" + label + "\",\"ctx_a\":\"" + ctxA + "\",\"ctx_b\":\"" + ctxB
                + "\",\"endings\":[" + e + "],\"label\":" + gold + "}\n";
    }

    @Test
    void preprocessingMatchesTheHarness() throws Exception {
        assertEquals("How to bake. Preheat the oven.", HellaSwag.preprocess(" How to bake [title] Preheat the oven. "));
        assertEquals("Mix it well.", HellaSwag.preprocess("Mix [step] it  well."));     // tag dropped, double space once
        assertEquals("a  b", HellaSwag.preprocess("a    b"));                           // replace() runs once, as in Python
        assertEquals("The man", HellaSwag.capitalize("tHE MAN"));                       // str.capitalize lowers the rest
        Path f = Files.writeString(dir.resolve("h.jsonl"), hellaswagLine("Baking cookies", "A woman mixes dough.",
                "she THEN [header] rolls it", List.of(" bakes it [title] Done", "eats it"), 1).replace("\"label\":1", "\"label\":\"1\""));
        Question q = HellaSwag.load(f, 0).get(0);
        assertEquals("Baking cookies: A woman mixes dough. She then rolls it", q.context());
        assertEquals(List.of("bakes it. Done", "eats it"), q.choices());
        assertEquals(" ", q.delimiter());
        assertEquals(1, q.gold());
    }

    @Test
    void accNormDividesByTheEndingsLengthInCharacters() throws Exception {
        // Summed log-likelihoods chosen so that the short ending wins acc and the long one wins acc_norm.
        Path f = Files.writeString(dir.resolve("h.jsonl"), hellaswagLine("X", "a", "b", List.of("ok", "a much longer ending"), 1));
        Map<String, Double> ll = Map.of(" ok", -4.0, " a much longer ending", -6.0); // per char: -2.0 vs -0.3
        MultipleChoiceEval eval = new MultipleChoiceEval((ctx, conts) -> conts.stream().mapToDouble(ll::get).toArray());
        MultipleChoiceEval.Result r = eval.evaluate(HellaSwag.load(f, 0), n -> { });
        assertEquals(0.0, r.acc());
        assertEquals(1.0, r.accNorm());
        assertEquals(0, MultipleChoiceEval.argmax(new double[] {-1, -1, -2}), "ties go to the first, as numpy's argmax");
    }

    @Test
    void modelLogLikelihoodEqualsANaiveSumAndLeftTruncates() {
        try (Gpt2Model m = new Gpt2Model(new GptConfig("custom", 1, 32, 2, 12, 257), 4)) {
            MultipleChoiceEval.ModelScorer s = new MultipleChoiceEval.ModelScorer(m, BYTES);
            // Trailing spaces of the context move to the continuation; an empty context starts with end-of-text.
            int[][] pair = s.encodePair("ab ", "cd");
            assertArrayEquals(new int[] {'a', 'b'}, pair[0]);
            assertArrayEquals(new int[] {' ', 'c', 'd'}, pair[1]);
            assertArrayEquals(new int[] {256}, s.encodePair("", "x")[0]);
            double[] ll = s.logLikelihoods("hello", List.of(" yes", " no", " maybe not"));
            assertEquals(naive(m, "hello yes", 4), ll[0], 1e-4);
            assertEquals(naive(m, "hello no", 3), ll[1], 1e-4);
            assertEquals(naive(m, "hello maybe not", 10), ll[2], 1e-4); // 15 bytes > T + 1 = 13: the context is cut from the left
        }
    }

    /** Sum of log p(token) over the last {@code n} tokens of the last T + 1 bytes of {@code text}, one unpadded sequence. */
    private static double naive(Gpt2Model m, String text, int n) {
        int[] all = BYTES.encode(text);
        int keep = Math.min(all.length, m.config().context() + 1);
        int[] w = Arrays.copyOfRange(all, all.length - keep, all.length);
        try (NDManager step = m.manager().newSubManager()) {
            long[] in = new long[w.length - 1];
            for (int i = 0; i < in.length; i++) {
                in[i] = w[i];
            }
            NDArray logp = m.logits(step, m.hidden(step, step.create(in, new Shape(1, in.length)))).logSoftmax(-1);
            float[] flat = logp.toFloatArray();
            double sum = 0;
            for (int j = in.length - n; j < in.length; j++) {
                sum += flat[j * 257 + w[j + 1]];
            }
            return sum;
        }
    }

    /**
     * A model whose every next-token distribution is known: wte = 0 except row {@code favoured} = 1 and
     * ln_f = (weight 0, bias 0.5), so every hidden state is 0.5 and the logits are 0.5 * d for
     * {@code favoured} and 0 for every other byte ({@code favoured} -1: uniform over 257 bytes).
     */
    private static Gpt2Model rigged(int favoured) {
        Gpt2Model m = new Gpt2Model(new GptConfig("custom", 1, 32, 2, 128, 257), 1);
        float[] wte = new float[257 * 32];
        if (favoured >= 0) {
            Arrays.fill(wte, favoured * 32, favoured * 32 + 32, 1f);
        }
        m.parameters().get("wte.weight").set(wte);
        m.parameters().get("ln_f.weight").set(new float[32]);
        float[] half = new float[32];
        Arrays.fill(half, 0.5f);
        m.parameters().get("ln_f.bias").set(half);
        return m;
    }

    @Test
    void hellaswagOnAUniformModelSplitsAccAndAccNorm() throws Exception {
        // Uniform bytes: ll = -(1 + chars) ln 257 (the space counts), so acc picks the shortest ending
        // and acc_norm, -(1 + 1/chars) ln 257, the longest.
        String lines = hellaswagLine("Cooking", "A man cracks eggs.", "he", List.of("sings loudly.", "whisks them well.", "sleeps.", "eats."), 3)
                + hellaswagLine("Sports", "A girl runs.", "she", List.of("jumps the bar.", "reads.", "cooks soup.", "paints a big wall."), 3);
        List<Question> qs = HellaSwag.load(Files.writeString(dir.resolve("h.jsonl"), lines), 0);
        try (Gpt2Model m = rigged(-1)) {
            MultipleChoiceEval eval = MultipleChoiceEval.of(m, BYTES);
            double[] ll = new MultipleChoiceEval.ModelScorer(m, BYTES).logLikelihoods(qs.get(0).context(), List.of(" eats."));
            assertEquals(-6 * Math.log(257), ll[0], 1e-4);
            MultipleChoiceEval.Result r = eval.evaluate(qs, n -> { });
            assertEquals(2, r.questions());
            assertEquals(0.5, r.acc());     // q1: shortest "eats." is gold; q2: shortest is "reads.", gold is not
            assertEquals(0.5, r.accNorm()); // q1: longest is "whisks them well."; q2: longest "paints a big wall." is gold
        }
    }

    @Test
    void mmluPromptAndRiggedAnswers() throws Exception {
        Path mmlu = Files.createDirectories(dir.resolve("data/test"));
        Files.writeString(mmlu.resolve("toy_facts_test.csv"), "What is red?,grass,sky,\"blood, often\",snow,C\n"
                + "\"Two\nlines?\",yes,no,maybe,never,A\n" + "Pick four,1,2,3,4,D\n");
        Path dev = Files.createDirectories(dir.resolve("data/dev"));
        Files.writeString(dev.resolve("toy_facts_dev.csv"), "Sky colour?,blue,red,green,pink,A\nSecond,a,b,c,d,B\n");
        List<Question> zero = Mmlu.load(dir.resolve("data"), 0, 0);
        assertEquals("The following are multiple choice questions (with answers) about toy facts.\n\n"
                + "What is red?\nA. grass\nB. sky\nC. blood, often\nD. snow\nAnswer:", zero.get(0).context());
        assertEquals(List.of("A", "B", "C", "D"), zero.get(0).choices());
        assertEquals(List.of(2, 0, 3), zero.stream().map(Question::gold).toList());
        assertEquals("Two\nlines?", zero.get(1).context().split("\n\n")[1].substring(0, 10));
        List<Question> one = Mmlu.load(dir.resolve("data"), 1, 0);
        assertEquals("The following are multiple choice questions (with answers) about toy facts.\n\n"
                + "Sky colour?\nA. blue\nB. red\nC. green\nD. pink\nAnswer: A\n\n"
                + "What is red?\nA. grass\nB. sky\nC. blood, often\nD. snow\nAnswer:", one.get(0).context());
        try (Gpt2Model m = rigged('C')) { // always answers C
            MultipleChoiceEval.Result r = MultipleChoiceEval.of(m, BYTES).evaluate(zero, n -> { });
            assertEquals(1.0 / 3, r.acc(), 1e-12);
            assertEquals(Map.of("toy_facts", 1.0 / 3), r.accByGroup());
            assertEquals(0.0, MultipleChoiceEval.of(m, BYTES).evaluate(one.subList(1, 3), n -> { }).acc()); // golds A, D
        }
    }

    @Test
    void badFixtures() throws Exception {
        Path mmlu = Files.createDirectories(dir.resolve("m"));
        Path f = Files.writeString(mmlu.resolve("x_test.csv"), "q,a,b,c,d,A\nq,a,b,E\n");
        assertEquals("--task mmlu: file " + f + " row 2: expected 6 columns (question, A, B, C, D, answer), got 4",
                assertThrows(DataException.class, () -> Mmlu.load(mmlu, 0, 0)).getMessage());
        Files.writeString(f, "q,a,b,c,d,E\n");
        assertEquals("--task mmlu: file " + f + " row 1: answer must be A, B, C or D, got \"E\"",
                assertThrows(DataException.class, () -> Mmlu.load(mmlu, 0, 0)).getMessage());
        Files.writeString(f, "q,a,b,c,d,A\n");
        assertEquals("--mmlu-shots 2: no x_dev.csv below " + mmlu, assertThrows(DataException.class, () -> Mmlu.load(mmlu, 2, 0)).getMessage());
        Path h = Files.writeString(dir.resolve("h.jsonl"), hellaswagLine("A", "b", "c", List.of("x", "y"), 5));
        assertEquals("--task hellaswag: file " + h + " line 1: field \"label\" must be an index into endings (0..1), got 5",
                assertThrows(DataException.class, () -> HellaSwag.load(h, 0)).getMessage());
        Files.writeString(h, "{\"activity_label\":\"A\",\"ctx_a\":\"b\",\"endings\":[\"x\"],\"label\":0}\n");
        assertEquals("--task hellaswag: file " + h + " line 1: field \"ctx_b\" must be a string",
                assertThrows(DataException.class, () -> HellaSwag.load(h, 0)).getMessage());
    }
}
