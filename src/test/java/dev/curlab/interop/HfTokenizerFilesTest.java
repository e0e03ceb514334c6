package dev.curlab.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.BpeTokenizer;
import dev.curlab.data.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hugging Face tokenizer files of an export: GPT-2's vocab.json and merges.txt, checked against JTokkit. */
class HfTokenizerFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void gpt2ExportsCarryGpt2sVocabularyAndMerges() throws Exception {
        List<Path> written = HfTokenizerFiles.write(dir, "gpt2", 1024);
        assertEquals(List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        JsonNode vocab = JSON.readTree(dir.resolve("vocab.json").toFile());
        assertEquals(50257, vocab.size());
        assertEquals(31373, vocab.get("hello").asInt());     // GPT-2's id for "hello"
        assertEquals(0, vocab.get("!").asInt());
        assertEquals(50256, vocab.get("<|endoftext|>").asInt());
        assertEquals(220, vocab.get("\u0120").asInt());      // "Ġ", the space byte
        List<String> merges = Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8);
        assertEquals("#version: 0.2", merges.get(0));
        assertEquals("\u0120 t", merges.get(1));             // "Ġ t": rank 256 = " t"
        assertEquals(50001, merges.size());                  // 50000 merges
        JsonNode cfg = JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertEquals("GPT2Tokenizer", cfg.get("tokenizer_class").asText());
        assertEquals(1024, cfg.get("model_max_length").asInt());
        assertEquals("<|endoftext|>", cfg.get("eos_token").asText());

        // An independent GPT-2 BPE over the written files reproduces JTokkit's ids, word by word.
        Map<String, Integer> ids = new HashMap<>();
        vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> mergeRank = new HashMap<>();
        for (int i = 1; i < merges.size(); i++) {
            mergeRank.put(merges.get(i), i);
        }
        BpeTokenizer jtokkit = new BpeTokenizer();
        for (String word : List.of("hello", " hello", " world", "Hello", " tokenization", " curriculum", "!!!", " \u00fcber",
                " 12345", "\n\n", " Soft-Q")) {
            assertArrayEquals(jtokkit.encode(word), bpe(word, mergeRank, ids), word);
        }
    }

    @Test
    void byteModelsGetGpt2FilesWithoutMergesThatGiveTheByteIds() throws Exception {
        List<Path> written = HfTokenizerFiles.write(dir, "bytes", 64);
        assertEquals(List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json", "TOKENIZER.md"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        JsonNode vocab = JSON.readTree(dir.resolve("vocab.json").toFile());
        assertEquals(257, vocab.size());
        assertEquals(256, vocab.get("<|endoftext|>").asInt());
        assertEquals(List.of("#version: 0.2"), Files.readAllLines(dir.resolve("merges.txt"), StandardCharsets.UTF_8));
        assertTrue(Files.readString(dir.resolve("TOKENIZER.md")).contains("ids 0-255 are the bytes of the text"));
        Map<String, Integer> ids = new HashMap<>();
        vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        ByteTokenizer bytes = new ByteTokenizer();
        for (String text : List.of("hello", " hello world", "\u00fcber\n\t", "12 + 30 = 42", "\u4e2d\u6587 \ud83d\ude00", "\u0000\u007f")) {
            assertArrayEquals(bytes.encode(text), bpe(text, Map.of(), ids), text);
        }
        assertEquals(List.of(), HfTokenizerFiles.write(dir.resolve("none"), "other", 64));
    }

    /** Textbook GPT-2 BPE on one pre-token: byte-level characters, then the lowest-ranked merge until none applies. */
    private static int[] bpe(String word, Map<String, Integer> mergeRank, Map<String, Integer> ids) {
        List<String> parts = new ArrayList<>();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            parts.add(String.valueOf(byteChar(b & 0xff)));
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = mergeRank.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
        return parts.stream().mapToInt(ids::get).toArray();
    }

    /** GPT-2's bytes_to_unicode, written out from its definition. */
    private static char byteChar(int b) {
        boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
        if (printable) {
            return (char) b;
        }
        int n = 0;
        for (int c = 0; c < b; c++) {
            if (!(c >= '!' && c <= '~' || c >= 0xA1 && c <= 0xAC || c >= 0xAE && c <= 0xFF)) {
                n++;
            }
        }
        return (char) (256 + n);
    }
}
