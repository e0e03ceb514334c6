package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.charset.StandardCharsets;

/**
 * {@link #COUNT} fixed documents of random lowercase words, the same in every run: they are drawn
 * from the constant {@link #SEED}, never from the stream seed. Documents {@code 2(L-1)} and
 * {@code 2(L-1)+1} carry level L, so a uniform level picks each document with probability 1/8.
 * {@link BuiltinMixture} fills a duplicates window with one document repeated, so these windows
 * recur verbatim.
 */
final class DuplicateDocuments implements DocumentGenerator {
    public static final int COUNT = 8;
    public static final long SEED = 0xD0C5_D0C5L;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private final byte[][] documents = new byte[COUNT][];

    DuplicateDocuments() {
        Rng rng = new Rng(SEED);
        for (int d = 0; d < COUNT; d++) {
            StringBuilder s = new StringBuilder();
            int words = 20 + rng.nextInt(21);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    s.append(' ');
                }
                int letters = 2 + rng.nextInt(7);
                for (int i = 0; i < letters; i++) {
                    s.append(LETTERS.charAt(rng.nextInt(LETTERS.length())));
                }
            }
            documents[d] = s.append('.').toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** One of the two documents of this level. */
    @Override
    public byte[] document(Rng rng, int level) {
        return documents[2 * (level - 1) + rng.nextInt(2)].clone();
    }
}
