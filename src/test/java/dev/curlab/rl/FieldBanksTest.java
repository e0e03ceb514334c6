package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Banks in the field's formats, written by DuckDB (COPY ... TO parquet) or as JSON lines: each opens
 * to the same problems, split and stream as a curlab .jsonl copy holding the rendered prompt and the
 * extracted answer.
 */
class FieldBanksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GSM8K = Path.of("src/test/resources/banks/gsm8k-sample.jsonl");

    @TempDir
    Path tmp;

    /** A curlab .jsonl bank of {prompt, answer[, source[, level param]]}. */
    private Path curlab(String name, List<String[]> problems) throws Exception {
        StringBuilder s = new StringBuilder();
        for (String[] p : problems) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("prompt", p[0]);
            line.put("answer", p[1]);
            if (p.length > 2) {
                line.put("source", p[2]);
            }
            if (p.length > 3) {
                line.put("params", Map.of("level", Integer.parseInt(p[3])));
            }
            s.append(JSON.writeValueAsString(line)).append('\n');
        }
        return Files.writeString(tmp.resolve(name), s);
    }

    /** Asserts {@code file} (read with {@code o}) and its curlab copy give the same held-out set and stream. */
    private static void sameAsCurlab(Path file, BankOptions o, Path copy) {
        ProblemBank a = Banks.open(file.toString(), 7, 2, o);
        ProblemBank b = Banks.open(copy.toString(), 7, 2);
        assertEquals(b.heldout(), a.heldout());
        for (int i = 0; i < 12; i++) {
            assertEquals(b.next(), a.next(), "problem " + i);
        }
    }

    @Test
    void verlParquetWithChatMessagesOrAStringPrompt() throws Exception {
        StringBuilder rows = new StringBuilder();
        List<String[]> expect = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String q = "What is " + i + " times 7?";
            rows.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS i, 'openai/gsm8k' AS data_source, ")
                    .append("[{'role': 'system', 'content': 'Answer with a number.'}, {'role': 'user', 'content': '").append(q).append("'}] AS prompt, ")
                    .append("'math' AS ability, {'style': 'rule', 'ground_truth': '").append(7 * i).append("'} AS reward_model, ")
                    .append("{'split': 'train', 'index': ").append(i).append("} AS extra_info");
            expect.add(new String[] {"System: Answer with a number.\nUser: " + q + "\nAssistant:", Integer.toString(7 * i)});
        }
        Path pq = ParquetBankTest.parquet(tmp.resolve("verl.parquet"),
                "SELECT data_source, prompt, ability, reward_model, extra_info FROM (" + rows + ") ORDER BY i");
        sameAsCurlab(pq, BankOptions.DEFAULT, curlab("verl-copy.jsonl", expect));
        Path plain = ParquetBankTest.parquet(tmp.resolve("verl-string.parquet"),
                "SELECT data_source, prompt[2].content AS prompt, reward_model FROM read_parquet('" + pq + "')");
        List<String[]> strings = expect.stream().map(e -> new String[] {e[0].split("User: ")[1].split("\n")[0], e[1]}).toList();
        sameAsCurlab(plain, BankOptions.DEFAULT, curlab("verl-string-copy.jsonl", strings));
    }

    @Test
    void trlColumnsAsParquetAndAsJsonLinesWithMessages() throws Exception {
        Path pq = ParquetBankTest.parquet(tmp.resolve("trl.parquet"),
                "SELECT 'Add ' || i || ' and 2.' AS prompt, (i + 2)::VARCHAR AS ground_truth FROM range(6) t(i) ORDER BY i");
        List<String[]> expect = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            expect.add(new String[] {"Add " + i + " and 2.", Integer.toString(i + 2)});
            lines.append("{\"prompt\": [{\"role\": \"user\", \"content\": \"Add ").append(i).append(" and 2.\"}], \"solution\": ")
                    .append(i + 2).append("}\n");
        }
        sameAsCurlab(pq, BankOptions.DEFAULT, curlab("trl-copy.jsonl", expect));
        Path js = Files.writeString(tmp.resolve("trl.jsonl"), lines);
        List<String[]> chat = expect.stream().map(e -> new String[] {"User: " + e[0] + "\nAssistant:", e[1]}).toList();
        sameAsCurlab(js, BankOptions.DEFAULT, curlab("trl-chat-copy.jsonl", chat));
    }

    @Test
    void gsm8kJsonLinesAndTheirParquetCopyTakeTheAnswerAfterTheHashes() throws Exception {
        List<String[]> expect = new ArrayList<>();
        for (String line : Files.readAllLines(GSM8K)) {
            var node = JSON.readTree(line);
            String solution = node.get("answer").textValue();
            String last = solution.substring(solution.lastIndexOf("#### ") + 5).replace(",", ""); // an independent reading
            expect.add(new String[] {node.get("question").textValue(), last});
        }
        assertEquals(List.of("72", "10", "1200", "76", "29", "9"), expect.stream().map(e -> e[1]).toList());
        Path copy = curlab("gsm8k-copy.jsonl", expect);
        sameAsCurlab(GSM8K, BankOptions.DEFAULT, copy);
        Path pq = ParquetBankTest.parquet(tmp.resolve("gsm8k.parquet"), "SELECT question, answer FROM read_json_auto('"
                + GSM8K.toAbsolutePath() + "')");
        sameAsCurlab(pq, BankOptions.DEFAULT, copy);
        sameAsCurlab(pq, new BankOptions(null, BankFormat.of("gsm8k"), null, null), copy);
    }

    @Test
    void mathJsonLinesTakeTheLastBoxAndKeyTheirSubjectAndLevel() throws Exception {
        StringBuilder lines = new StringBuilder();
        List<String[]> expect = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String answer = i % 2 == 0 ? "\\\\frac{" + i + "}{2}" : Integer.toString(i * i);
            lines.append("{\"problem\": \"Compute $x_").append(i).append("$.\", \"level\": \"Level ").append(i % 5 + 1)
                    .append("\", \"type\": \"Algebra\", \"solution\": \"First \\\\boxed{0}, then $x = \\\\boxed{").append(answer)
                    .append("}$.\"}\n");
            expect.add(new String[] {"Compute $x_" + i + "$.", answer.replace("\\\\", "\\"), "Algebra", Integer.toString(i % 5 + 1)});
        }
        Path js = Files.writeString(tmp.resolve("math.jsonl"), lines);
        sameAsCurlab(js, BankOptions.DEFAULT, curlab("math-copy.jsonl", expect));
        Problem p = Banks.open(js.toString(), 0, 5).heldout().get(0);
        assertEquals("Algebra{level=" + p.params().get("level") + "}", p.bucket());
        Files.writeString(js, "{\"problem\": \"x?\", \"solution\": \"no box\"}\n");
        UserError e = assertThrows(UserError.class, () -> Banks.open(js.toString(), 0, 0));
        assertEquals("file " + js + " line 1: field \"solution\" has no \\boxed{...} answer", e.getMessage());
    }

    @Test
    void promptAndAnswerKeysMapOtherColumns() throws Exception {
        StringBuilder lines = new StringBuilder();
        List<String[]> expect = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.append("{\"instruction\": \"Double ").append(i).append(".\", \"output\": {\"value\": \"").append(2 * i)
                    .append("\"}, \"prompt\": \"ignored\"}\n");
            expect.add(new String[] {"Double " + i + ".", Integer.toString(2 * i)});
        }
        Path js = Files.writeString(tmp.resolve("keys.jsonl"), lines);
        sameAsCurlab(js, new BankOptions(null, BankFormat.of("auto"), "instruction", "output.value"), curlab("keys-copy.jsonl", expect));
        UserError e = assertThrows(UserError.class, () -> Banks.open(js.toString(), 0, 1, new BankOptions(null, BankFormat.of("auto"), "instruction", "nope")));
        assertEquals("file " + js + ": no column \"nope\" for a trl bank (columns: instruction, output, prompt)", e.getMessage());
        e = assertThrows(UserError.class, () -> Banks.open(js.toString(), 0, 1, new BankOptions(null, BankFormat.of("auto"), "prompt", "output")));
        assertEquals("file " + js + " line 1: field \"output\" must be a string or a number, got object", e.getMessage());
        e = assertThrows(UserError.class, () -> Banks.open(js.toString(), 0, 1, new BankOptions(null, BankFormat.of("verl"), null, null)));
        assertEquals("file " + js + ": no column \"reward_model\" for a verl bank (columns: instruction, output, prompt)", e.getMessage());
    }

    @Test
    void chatTemplateIsPlainText() throws Exception {
        var m = JSON.readTree("[{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"2+2?\"},"
                + " {\"role\": \"assistant\", \"content\": \"4\"}, {\"role\": \"user\", \"content\": \"3+3?\"}]");
        assertEquals("System: Be brief.\nUser: 2+2?\nAssistant: 4\nUser: 3+3?\nAssistant:", ChatTemplate.render(m));
        assertEquals(null, ChatTemplate.render(JSON.readTree("[{\"role\": \"user\"}]")));
        assertEquals(null, ChatTemplate.render(JSON.readTree("[]")));
    }
}
