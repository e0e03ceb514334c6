package dev.curlab.data;

import dev.curlab.util.UserError;

/** Tokenizers by name: {@code bytes} ({@link ByteTokenizer}) and {@code gpt2} or {@code bpe} ({@link BpeTokenizer}). */
public final class Tokenizers {
    private Tokenizers() {
    }

    public static Tokenizer byName(String name) {
        return switch (name == null ? "" : name) {
            case ByteTokenizer.NAME -> new ByteTokenizer();
            case BpeTokenizer.NAME, "bpe" -> new BpeTokenizer();
            default -> throw new UserError("unknown tokenizer '" + name + "' (expected bytes or gpt2)");
        };
    }
}
