package dev.curlab.data;

import dev.curlab.util.Rng;

/** Makes one synthetic document (raw bytes, no end-of-text) of a difficulty level 1..4. */
interface DocumentGenerator {
    int MIN_LEVEL = 1;
    int MAX_LEVEL = 4;

    byte[] document(Rng rng, int level);
}
