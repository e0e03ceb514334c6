package dev.curlab.data;

import java.util.function.Supplier;

/** Packs byte documents into one window of the built-in generators: documents joined by end-of-text, cut to length. */
final class ByteWindows {
    private ByteWindows() {
    }

    /**
     * {@code length} token ids: documents from {@code next}, asked for one at a time and only while
     * the window has room, each byte one id and an end-of-text id between two documents.
     */
    static int[] pack(int length, Supplier<byte[]> next) {
        int[] tokens = new int[length];
        int n = 0;
        while (n < tokens.length) {
            if (n > 0) {
                tokens[n++] = ByteTokenizer.END_OF_TEXT;
            }
            byte[] doc = next.get();
            for (int i = 0; i < doc.length && n < tokens.length; i++) {
                tokens[n++] = doc[i] & 0xFF;
            }
        }
        return tokens;
    }
}
