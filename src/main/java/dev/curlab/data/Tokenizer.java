package dev.curlab.data;

/** Text to token ids and back. Documents are joined with {@link #endOfText()}. */
public interface Tokenizer {

    String name();

    int[] encode(String text);

    String decode(int[] tokens);

    /** Size of the id space, including the end-of-text token. */
    int vocabSize();

    int endOfText();
}
