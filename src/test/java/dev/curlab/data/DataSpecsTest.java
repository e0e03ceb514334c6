package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSpecsTest {

    @TempDir
    Path dir;

    @Test
    void recognisesBuiltinSpecs() {
        assertTrue(DataSpecs.isBuiltin("builtin:mixture"));
        assertTrue(DataSpecs.isBuiltin("builtin:mixture?noise=0"));
        assertFalse(DataSpecs.isBuiltin("data/train.jsonl"));
    }

    @Test
    void autoTokenizerIsBytesForBuiltinAndGpt2ForFiles() {
        assertInstanceOf(ByteTokenizer.class, DataSpecs.tokenizerFor("builtin:mixture", "auto"));
        assertInstanceOf(BpeTokenizer.class, DataSpecs.tokenizerFor("train.jsonl", "auto"));
        assertInstanceOf(BpeTokenizer.class, DataSpecs.tokenizerFor("builtin:mixture", "bpe"));
        assertInstanceOf(ByteTokenizer.class, DataSpecs.tokenizerFor("train.txt", "bytes"));
        assertThrows(UserError.class, () -> DataSpecs.tokenizerFor("train.txt", "sentencepiece"));
    }

    @Test
    void opensBuiltinForEveryRole() {
        for (Role role : Role.values()) {
            DataSource src = DataSpecs.open("builtin:mixture?noise=0.2", new ByteTokenizer(), 16, 1, role);
            assertInstanceOf(BuiltinMixture.class, src);
            assertEquals(17, src.next().tokens().length);
            assertTrue(src.describe().contains("noise=0.2"), src.describe());
        }
    }

    @Test
    void builtinNeedsAByteSizedVocabulary() {
        Tokenizer tiny = new Tokenizer() {
            public String name() {
                return "tiny";
            }

            public int[] encode(String text) {
                return new int[0];
            }

            public String decode(int[] tokens) {
                return "";
            }

            public int vocabSize() {
                return 100;
            }

            public int endOfText() {
                return 99;
            }
        };
        UserError e = assertThrows(UserError.class, () -> DataSpecs.open("builtin:mixture", tiny, 16, 1, Role.TRAIN));
        assertTrue(e.getMessage().contains("257"), e.getMessage());
        DataSpecs.open("builtin:mixture", new BpeTokenizer(), 16, 1, Role.TRAIN).next();
    }

    @Test
    void unknownBuiltinListsTheKnownOne() {
        UserError e = assertThrows(UserError.class,
                () -> DataSpecs.open("builtin:foo", new ByteTokenizer(), 16, 1, Role.TRAIN));
        assertTrue(e.getMessage().contains("builtin:foo") && e.getMessage().contains("builtin:mixture"), e.getMessage());
    }

    @Test
    void takeStopsAtTheEndOfTheFirstEpoch() throws IOException {
        Path file = dir.resolve("d.txt");
        Files.writeString(file, "abcdefghij\n\nklmnopq\n"); // 18 tokens with the eot
        DataSource src = DataSpecs.open(file.toString(), new ByteTokenizer(), 3, 0, Role.HELDOUT);
        List<Window> ws = DataSpecs.take(src, 100);
        assertEquals(4, ws.size());
        assertEquals(List.of(0L, 1L, 2L, 3L), ws.stream().map(Window::id).toList());
        assertEquals(2, DataSpecs.take(DataSpecs.open(file.toString(), new ByteTokenizer(), 3, 0, Role.HELDOUT), 2).size());
    }

    @Test
    void takeFromAnEndlessStreamGivesExactlyCount() {
        DataSource src = DataSpecs.open("builtin:mixture", new ByteTokenizer(), 8, 3, Role.EVAL);
        assertEquals(250, DataSpecs.take(src, 250).size());
    }
}
