package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.charset.StandardCharsets;

/**
 * Copy / induction strings {@code s|s} or {@code s>s}, e.g. {@code k3x9q>k3x9q}: a random string
 * over {@code [a-z0-9]}, a separator, and the same string again. The string length grows with the
 * level: 3-4, 5-8, 9-16, 17-32 characters for levels 1-4.
 */
final class CopyGenerator implements DocumentGenerator {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final String SEPARATORS = "|>";

    @Override
    public byte[] document(Rng rng, int level) {
        int min = level == 1 ? 3 : (1 << level) + 1;
        int max = 1 << (level + 1);
        int length = min + rng.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
        }
        String text = s.toString();
        return (text + SEPARATORS.charAt(rng.nextInt(SEPARATORS.length())) + text).getBytes(StandardCharsets.US_ASCII);
    }
}
