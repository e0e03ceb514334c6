package dev.curlab.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer ({@code "bytes"}): the UTF-8 bytes 0..255 of the text are the ids, and
 * {@link #END_OF_TEXT} = 256 separates documents, so the vocabulary has 257 ids.
 *
 * <p>{@link #decode} renders the end-of-text id as the visible marker {@link #EOT_MARKER} and
 * invalid UTF-8 byte runs (e.g. from random-noise windows) as U+FFFD.
 */
public final class ByteTokenizer implements Tokenizer {
    public static final String NAME = "bytes";
    public static final int END_OF_TEXT = 256;
    public static final int VOCAB_SIZE = 257;
    public static final String EOT_MARKER = "⟨eot⟩";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] tokens) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int id : tokens) {
            if (id == END_OF_TEXT) {
                out.append(run.toString(StandardCharsets.UTF_8)).append(EOT_MARKER);
                run.reset();
            } else if (id >= 0 && id < END_OF_TEXT) {
                run.write(id);
            } else {
                throw new IllegalArgumentException("token id " + id + " is outside the byte vocabulary [0, 257)");
            }
        }
        return out.append(run.toString(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int endOfText() {
        return END_OF_TEXT;
    }
}
