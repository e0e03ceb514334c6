package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is a one-line {@link DataException} naming the file, the line and what was expected. */
class FileSourceErrorsTest {
    private static final String GOOD = "{\"text\":\"hello there\"}\n";

    @TempDir
    Path dir;

    @Test
    void malformedJsonLine() throws IOException {
        assertFails(write("m.jsonl", GOOD + "{\"text\": \"unclosed\n"), "m.jsonl line 2", "expected a JSON object");
    }

    @Test
    void lineThatIsNotAnObject() throws IOException {
        assertFails(write("a.jsonl", GOOD + "\n[1, 2]\n"), "a.jsonl line 3", "expected a JSON object, got an array");
        assertFails(write("s.jsonl", "\"just text\"\n"), "s.jsonl line 1", "expected a JSON object, got a string");
    }

    @Test
    void missingText() throws IOException {
        assertFails(write("t.jsonl", GOOD + GOOD + "{\"body\":\"x\"}\n"), "t.jsonl line 3", "missing field \"text\"");
    }

    @Test
    void textThatIsNotAString() throws IOException {
        assertFails(write("n.jsonl", "{\"text\": 42}\n"), "n.jsonl line 1", "\"text\" must be a string, got a number");
        assertFails(write("z.jsonl", "{\"text\": null}\n"), "z.jsonl line 1", "\"text\" must be a string, got null");
    }

    @Test
    void badOptionalFields() throws IOException {
        assertFails(write("d.jsonl", GOOD + "{\"text\":\"x\",\"difficulty\":\"hard\"}\n"),
                "d.jsonl line 2", "\"difficulty\" must be a number, got a string");
        assertFails(write("o.jsonl", "{\"text\":\"x\",\"source\":7}\n"),
                "o.jsonl line 1", "\"source\" must be a string, got a number");
    }

    @Test
    void trailingGarbageAfterTheObject() throws IOException {
        assertFails(write("g.jsonl", GOOD + "{\"text\":\"x\"} junk\n"), "g.jsonl line 2", "malformed JSON");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(write("empty.txt", ""), "file " + dir.resolve("empty.txt"),
                "yields no windows of context 8+1 tokens: it has only 0 tokens");
        assertFails(write("blank.jsonl", "\n\n  \n"), "blank.jsonl", "it has only 0 tokens");
    }

    @Test
    void fileTooShortForOneWindow() throws IOException {
        assertFails(write("short.txt", "abc\n\nde\n"), "short.txt", "yields no windows of context 8+1 tokens: it has only 6 tokens");
    }

    @Test
    void invalidUtf8() throws IOException {
        Path file = dir.resolve("bad.txt");
        byte[] text = "line one\nline two\nbad \u0000".getBytes(StandardCharsets.UTF_8);
        text[text.length - 1] = (byte) 0xFF;
        Files.write(file, text);
        assertFails(file, "bad.txt line 3", "invalid UTF-8");
    }

    @Test
    void binaryFile() throws IOException {
        Path file = dir.resolve("bin.jsonl");
        byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 5);
        System.arraycopy(new byte[] {'x', 0, 0, 1, '\n'}, 0, bytes, good.length, 5);
        Files.write(file, bytes);
        assertFails(file, "bin.jsonl line 2", "binary data");
    }

    @Test
    void truncatedGzip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 2000; i++) {
                out.write(("{\"text\":\"document " + i + " " + Integer.toHexString(i * 7919) + "\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] all = bytes.toByteArray();
        Path file = dir.resolve("cut.jsonl.gz");
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        DataException e = assertFails(file, "cut.jsonl.gz line ", "truncated or corrupt gzip");
        assertFalse(e.getMessage().contains("line 1:"), "the error is past the first line: " + e.getMessage());
    }

    @Test
    void notGzipAtAll() throws IOException {
        assertFails(write("fake.jsonl.gz", GOOD), "fake.jsonl.gz", "not a valid gzip file");
    }

    @Test
    void missingFile() {
        String path = dir.resolve("nope.jsonl").toString();
        DataException e = assertThrows(DataException.class,
                () -> DataSpecs.open(path, new ByteTokenizer(), 8, 0, Role.TRAIN));
        assertTrue(e.getMessage().equals("data file not found: " + path), e.getMessage());
    }

    @Test
    void unsupportedExtension() throws IOException {
        Path file = write("data.csv", "a,b\n");
        DataException e = assertThrows(DataException.class, () -> new FileSource(file, new ByteTokenizer(), 8));
        assertTrue(e.getMessage().contains("data.csv") && e.getMessage().contains(".jsonl"), e.getMessage());
    }

    @Test
    void directoryWithoutDataFiles() throws IOException {
        write("readme.md", "nothing here");
        DataException e = assertThrows(DataException.class, () -> new FileSource(dir, new ByteTokenizer(), 8));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("no data files"), e.getMessage());
    }

    /** Reads the whole epoch of {@code file}; the failure must name the file and say what was wrong. */
    private static DataException assertFails(Path file, String where, String what) {
        DataException e = assertThrows(DataException.class, () -> {
            try (FileSource src = new FileSource(file, new ByteTokenizer(), 8)) {
                DataSpecs.take(src, Integer.MAX_VALUE);
            }
        });
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), "names the file: " + m);
        assertTrue(m.contains(where), "expected '" + where + "' in: " + m);
        assertTrue(m.contains(what), "expected '" + what + "' in: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        return e;
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
