package dev.curlab.data;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

/**
 * GPT-2 byte-pair encoding ({@code "gpt2"}): JTokkit's {@code r50k_base}, 50257 ids with
 * end-of-text = 50256, e.g. {@code "Hello world"} -> {@code [15496, 995]}.
 *
 * <p>Text is encoded as ordinary text: a literal {@code <|endoftext|>} inside a document is
 * split into ordinary tokens, never turned into the special id. {@link #decode} renders 50256 as
 * {@code <|endoftext|>}.
 */
public final class BpeTokenizer implements Tokenizer {
    public static final String NAME = "gpt2";
    public static final int END_OF_TEXT = 50256;
    public static final int VOCAB_SIZE = 50257;

    private static final Encoding ENCODING =
            Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] encode(String text) {
        return ENCODING.encodeOrdinary(text).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int id : tokens) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + id + " is outside the GPT-2 vocabulary [0, 50257)");
            }
            list.add(id);
        }
        return ENCODING.decode(list);
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
