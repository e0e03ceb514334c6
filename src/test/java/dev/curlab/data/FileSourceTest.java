package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final int EOT = 256;
    private static final String JSONL = """
            {"text":"abcd","source":"s1","difficulty":1}

            {"text":"xy","source":"s2","extra":[1,2]}
            {"text":"pqrst","difficulty":2.5}
            """;

    @TempDir
    Path dir;

    private final Tokenizer bytes = new ByteTokenizer();

    @Test
    void txtBlocksAreJoinedWithEotAndCut() throws IOException {
        Path file = write("a.txt", "ab\ncd\n\n \n\nef\r\n\ngh\n");
        try (FileSource src = new FileSource(file, bytes, 2)) {
            List<Window> ws = DataSpecs.take(src, 100);
            // stream: a b \n c d EOT e f EOT g h -> three windows of 3, "g h" dropped
            assertEquals(3, ws.size());
            assertArrayEquals(new int[] {'a', 'b', '\n'}, ws.get(0).tokens());
            assertArrayEquals(new int[] {'c', 'd', EOT}, ws.get(1).tokens());
            assertArrayEquals(new int[] {'e', 'f', EOT}, ws.get(2).tokens());
            for (Window w : ws) {
                assertFalse(w.hasSource());
                assertFalse(w.hasDifficulty());
            }
        }
    }

    @Test
    void jsonlWindowsCarryTheTagsOfTheDocumentWhereTheyStart() throws IOException {
        List<Window> ws = DataSpecs.take(new FileSource(write("d.jsonl", JSONL), bytes, 3), 100);
        // stream: a b c d EOT x y EOT p q r s t -> [abcd] [EOT x y EOT] [pqrs], "t" dropped
        assertEquals(List.of(
                new Window(0, new int[] {'a', 'b', 'c', 'd'}, "s1", 1.0),
                new Window(1, new int[] {EOT, 'x', 'y', EOT}, "s2", Double.NaN),
                new Window(2, new int[] {'p', 'q', 'r', 's'}, null, 2.5)), ws);
    }

    @Test
    void eachWindowOnceThenTheNextEpoch() throws IOException {
        FileSource src = new FileSource(write("d.jsonl", JSONL), bytes, 3);
        List<Window> first = List.of(src.next(), src.next(), src.next());
        assertEquals(0, src.epoch());
        assertEquals(3, src.position());
        Window again = src.next();
        assertEquals(1, src.epoch());
        assertEquals(4, src.position());
        assertEquals(first.get(0), again, "a window keeps its id and content in every epoch");
        assertEquals(first.get(1), src.next());
        assertEquals(first.get(2), src.next());
        src.next();
        assertEquals(2, src.epoch());
    }

    @Test
    void skipToReproducesReadingStraightThrough() throws IOException {
        Path file = write("t.txt", "the quick brown fox\n\njumps over\nthe lazy dog\n\nand runs away\n");
        FileSource straight = new FileSource(file, bytes, 5);
        Window expected = null;
        for (int i = 0; i <= 13; i++) {
            expected = straight.next();
        }
        FileSource skipped = new FileSource(file, bytes, 5);
        skipped.skipTo(13);
        assertEquals(13, skipped.position());
        assertEquals(expected, skipped.next());
        assertEquals(straight.next(), skipped.next());
        assertEquals(straight.epoch(), skipped.epoch());
    }

    @Test
    void gzipJsonlGivesTheSameWindows() throws IOException {
        Path gz = dir.resolve("d.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(JSONL.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(DataSpecs.take(new FileSource(write("d.jsonl", JSONL), bytes, 3), 10),
                DataSpecs.take(new FileSource(gz, bytes, 3), 10));
    }

    @Test
    void directoryReadsDataFilesRecursivelyInSortedOrder() throws IOException {
        Files.createDirectories(dir.resolve("shards/a"));
        write("shards/c.txt", "gh");
        write("shards/b.jsonl", "{\"text\":\"cd\",\"source\":\"b\"}\n{\"text\":\"ef\"}\n");
        write("shards/a/x.txt", "ab");
        write("shards/notes.md", "ignored");
        write("shards/a/data.csv", "ignored");
        List<Window> ws = DataSpecs.take(new FileSource(dir.resolve("shards"), bytes, 2), 100);
        // a/x.txt, b.jsonl, c.txt: a b EOT c d EOT e f EOT g h
        assertEquals(List.of(
                new Window(0, new int[] {'a', 'b', EOT}, null, Double.NaN),
                new Window(1, new int[] {'c', 'd', EOT}, "b", Double.NaN),
                new Window(2, new int[] {'e', 'f', EOT}, null, Double.NaN)), ws);
    }

    @Test
    void gpt2IsTheDefaultForFilesAndTokenizesDocuments() throws IOException {
        Path file = write("h.txt", "Hello world\n\nHello world\n");
        Tokenizer gpt2 = DataSpecs.tokenizerFor(file.toString(), "auto");
        List<Window> ws = DataSpecs.take(DataSpecs.open(file.toString(), gpt2, 4, 0, Role.TRAIN), 10);
        assertEquals(1, ws.size());
        assertArrayEquals(new int[] {15496, 995, 50256, 15496, 995}, ws.get(0).tokens());
        assertNull(ws.get(0).source());
    }

    @Test
    void emptyDocumentsAreSkipped() throws IOException {
        Path file = write("e.jsonl", "{\"text\":\"ab\"}\n{\"text\":\"\"}\n{\"text\":\"c\"}\n");
        List<Window> ws = DataSpecs.take(new FileSource(file, bytes, 3), 10);
        assertEquals(List.of(new Window(0, new int[] {'a', 'b', EOT, 'c'}, null, Double.NaN)), ws);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
