package dev.curlab.data;

import dev.curlab.util.Rng;

/**
 * Uniformly random bytes 0..255, 32 to 128 per document. Noise has no difficulty: the level is
 * ignored and noise windows are tagged with difficulty NaN.
 */
final class NoiseGenerator implements DocumentGenerator {

    @Override
    public byte[] document(Rng rng, int level) {
        byte[] bytes = new byte[32 + rng.nextInt(97)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) rng.nextInt(256);
        }
        return bytes;
    }
}
