package dev.curlab.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.knuddels.jtokkit.Encodings;
import dev.curlab.data.BpeTokenizer;
import dev.curlab.data.ByteTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer files of a Hugging Face export. For GPT-2 BPE models: GPT-2's {@code vocab.json}
 * and {@code merges.txt}, rebuilt from the {@code r50k_base} ranks that ship inside JTokkit (the
 * same table the GPT-2 tokenizer was made from: rank = id, byte tokens in GPT-2's byte-to-unicode
 * spelling, e.g. {@code "Ġt"} for " t"), plus {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}, so {@code AutoTokenizer.from_pretrained(OUT)} loads it. Each
 * merge is recovered from its token: byte-pair encoding the token with the merges of lower rank
 * leaves exactly two parts. The byte tokenizer (ids 0-255 = UTF-8 bytes, 256 = end of text) is
 * GPT-2's byte-level BPE with no merges: its {@code vocab.json} holds the 256 byte characters (id =
 * byte) and end-of-text, {@code merges.txt} only the version line, so the same {@code GPT2Tokenizer}
 * files give curlab's byte ids; a {@code TOKENIZER.md} note says so.
 */
public final class HfTokenizerFiles {
    private static final String RANKS = "com/knuddels/jtokkit/r50k_base.tiktoken";
    private static final String EOT = "<|endoftext|>";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfTokenizerFiles() {
    }

    /** Writes the tokenizer files for {@code tokenizer} ("gpt2" or "bytes"; anything else: none) into {@code out}; returns them. */
    public static List<Path> write(Path out, String tokenizer, int context) throws IOException {
        if (ByteTokenizer.NAME.equals(tokenizer)) {
            return writeBytes(out, context);
        }
        if (!BpeTokenizer.NAME.equals(tokenizer)) {
            return List.of();
        }
        List<byte[]> tokens = ranks();
        String[] spelled = new String[tokens.size()];
        Map<String, Integer> rank = new HashMap<>();       // token bytes as ISO-8859-1 text -> rank
        for (int i = 0; i < tokens.size(); i++) {
            spelled[i] = spell(tokens.get(i));
            rank.put(new String(tokens.get(i), StandardCharsets.ISO_8859_1), i);
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < spelled.length; i++) {
            vocab.put(spelled[i], i);
        }
        vocab.put(EOT, BpeTokenizer.END_OF_TEXT);
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).length < 2) {
                continue;
            }
            List<String> parts = bpe(new String(tokens.get(i), StandardCharsets.ISO_8859_1), rank, i);
            if (parts.size() != 2) {
                throw new IllegalStateException("r50k_base token " + i + " does not split into one merge: " + parts);
            }
            merges.append(spell(parts.get(0).getBytes(StandardCharsets.ISO_8859_1))).append(' ')
                    .append(spell(parts.get(1).getBytes(StandardCharsets.ISO_8859_1))).append('\n');
        }
        return writeGpt2Files(out, vocab, merges, context);
    }

    /** The byte tokenizer as GPT-2 files without merges (id = byte, 256 = end of text), and a note. */
    private static List<Path> writeBytes(Path out, int context) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(BYTE_CHARS[b]), b);
        }
        vocab.put(EOT, ByteTokenizer.END_OF_TEXT);
        List<Path> written = new ArrayList<>(writeGpt2Files(out, vocab, new StringBuilder("#version: 0.2\n"), context));
        written.add(Files.writeString(out.resolve("TOKENIZER.md"), BYTE_NOTE, StandardCharsets.UTF_8));
        return written;
    }

    private static final String BYTE_NOTE = """
            # Tokenizer: bytes

            This model reads UTF-8 bytes: ids 0-255 are the bytes of the text, 256 (`<|endoftext|>`) separates
            documents; the vocabulary has 257 ids. No text is split into larger pieces.

            The files beside this note (vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json)
            spell it as GPT-2's byte-level BPE with no merges, so `AutoTokenizer.from_pretrained(DIR)` gives
            the same ids as curlab. Without them:

                ids = list(text.encode("utf-8"))
                text = bytes(i for i in ids if i < 256).decode("utf-8", errors="replace")
            """;

    private static List<Path> writeGpt2Files(Path out, Map<String, Integer> vocab, CharSequence merges, int context) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        written.add(out.resolve("vocab.json"));
        JSON.writeValue(written.get(0).toFile(), vocab);
        written.add(Files.writeString(out.resolve("merges.txt"), merges, StandardCharsets.UTF_8));
        Map<String, Object> special = new LinkedHashMap<>();
        special.put("bos_token", EOT);
        special.put("eos_token", EOT);
        special.put("unk_token", EOT);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tokenizer_class", "GPT2Tokenizer");
        config.put("model_max_length", context);
        config.put("add_prefix_space", false);
        config.put("split_special_tokens", true);    // "<|endoftext|>" in a text is text, as curlab's encoders read it
        config.putAll(special);
        written.add(out.resolve("tokenizer_config.json"));
        JSON.writeValue(written.get(2).toFile(), config);
        written.add(out.resolve("special_tokens_map.json"));
        JSON.writeValue(written.get(3).toFile(), special);
        return written;
    }

    /** JTokkit's r50k_base table: one "base64(token bytes) rank" line per rank, ranks 0..50255 in order. */
    private static List<byte[]> ranks() throws IOException {
        List<byte[]> out = new ArrayList<>(BpeTokenizer.END_OF_TEXT);
        try (InputStream in = Encodings.class.getClassLoader().getResourceAsStream(RANKS)) {
            if (in == null) {
                throw new IOException("JTokkit's " + RANKS + " is not on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(" ");
                if (Integer.parseInt(f[1]) != out.size()) {
                    throw new IOException(RANKS + ": rank " + f[1] + " out of order");
                }
                out.add(Base64.getDecoder().decode(f[0]));
            }
        }
        if (out.size() != BpeTokenizer.END_OF_TEXT) {
            throw new IOException(RANKS + ": " + out.size() + " ranks, expected " + BpeTokenizer.END_OF_TEXT);
        }
        return out;
    }

    /** Byte-pair encodes {@code token} (one char per byte) with the merges of rank below {@code below}. */
    private static List<String> bpe(String token, Map<String, Integer> rank, int below) {
        List<String> parts = new ArrayList<>();
        for (char c : token.toCharArray()) {
            parts.add(String.valueOf(c));
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = below;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = rank.get(parts.get(i) + parts.get(i + 1));
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
        return parts;
    }

    /** GPT-2's byte-level spelling: printable Latin-1 bytes stand for themselves, the others for 256 + n. */
    static String spell(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_CHARS[b & 0xff]);
        }
        return sb.toString();
    }

    private static final char[] BYTE_CHARS = new char[256];

    static {
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF;
            BYTE_CHARS[b] = printable ? (char) b : (char) (256 + n++);
        }
    }
}
