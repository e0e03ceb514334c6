package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import org.junit.jupiter.api.Test;

class TokenizersTest {

    @Test
    void bytesAreUtf8BytesAndEotIs256() {
        Tokenizer t = new ByteTokenizer();
        assertEquals("bytes", t.name());
        assertEquals(257, t.vocabSize());
        assertEquals(256, t.endOfText());
        assertArrayEquals(new int[] {72, 105}, t.encode("Hi"));
        assertArrayEquals(new int[] {0xC3, 0xA9}, t.encode("é"));
    }

    @Test
    void bytesRoundTripAndShowEot() {
        Tokenizer t = new ByteTokenizer();
        String text = "naïve 17+5=22 ✓";
        assertEquals(text, t.decode(t.encode(text)));
        assertEquals("a⟨eot⟩b", t.decode(new int[] {'a', 256, 'b'}));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {257}));
    }

    @Test
    void gpt2HasKnownIds() {
        Tokenizer t = new BpeTokenizer();
        assertEquals("gpt2", t.name());
        assertEquals(50257, t.vocabSize());
        assertEquals(50256, t.endOfText());
        assertArrayEquals(new int[] {15496, 995}, t.encode("Hello world"));
    }

    @Test
    void gpt2RoundTripsAndDecodesEot() {
        Tokenizer t = new BpeTokenizer();
        String text = "The cat sat on the mat.\nNaïve café, 3*4=12!";
        assertEquals(text, t.decode(t.encode(text)));
        assertEquals("Hello<|endoftext|>", t.decode(new int[] {15496, 50256}));
    }

    @Test
    void gpt2EncodesSpecialTokenTextAsOrdinaryText() {
        int[] ids = new BpeTokenizer().encode("<|endoftext|>");
        for (int id : ids) {
            assertEquals(true, id != 50256, "literal <|endoftext|> must not become the special id");
        }
    }

    @Test
    void byNameKnowsBytesGpt2AndBpe() {
        assertInstanceOf(ByteTokenizer.class, Tokenizers.byName("bytes"));
        assertInstanceOf(BpeTokenizer.class, Tokenizers.byName("gpt2"));
        assertInstanceOf(BpeTokenizer.class, Tokenizers.byName("bpe"));
        UserError e = assertThrows(UserError.class, () -> Tokenizers.byName("x"));
        assertEquals("unknown tokenizer 'x' (expected bytes or gpt2)", e.getMessage());
    }
}
