package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JSONL difficulty beyond a double, and a record larger than the heap can parse, are refused with the file and line. */
class RecordLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aDifficultyBeyondADoubleIsRefusedNotWrittenAsInfinity() throws Exception {
        Path f = Files.writeString(dir.resolve("d.jsonl"), "{\"text\":\"ok\",\"difficulty\":2}\n{\"text\":\"hi\",\"difficulty\":1e400}\n");
        DataException e = assertThrows(DataException.class, () -> {
            try (JsonlDocuments docs = new JsonlDocuments(new LineReader(f))) {
                assertEquals(2.0, docs.next().difficulty());
                docs.next();
            }
        });
        assertEquals("file " + f + " line 2: field \"difficulty\" must be a finite number, got one beyond a double's range (it reads as"
                + " Infinity)", e.getMessage());
    }

    @Test
    void aLineLargerThanTheHeapCanParseIsRefusedBeforeReadingIt() throws Exception {
        Path f = Files.writeString(dir.resolve("big.jsonl"), "{\"text\":\"small\"}\n{\"text\":\"" + "x".repeat(4000) + "\"}\n");
        long heap = 8 * 1024;                                                 // a heap of 8 KiB parses lines of up to 1 KiB
        assertEquals(1024, LineReader.heapLineLimit(heap));
        DataException e = assertThrows(DataException.class, () -> {
            try (LineReader lines = new LineReader(f, LineReader.MAX_LINE_BYTES, heap)) {
                assertEquals("{\"text\":\"small\"}", lines.readLine());
                lines.readLine();
            }
        });
        assertEquals("file " + f + " line 2: a line longer than 1024 bytes, more than the Java heap (8192 bytes) can parse; split the record"
                + " or raise the heap with CURLAB_JAVA_OPTS=-Xmx...", e.getMessage());
    }
}
