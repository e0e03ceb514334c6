package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records larger than the JSON parser's default limits are read whole, and the limits left are named as limits. */
class LargeRecordTest {
    @TempDir
    Path dir;

    @Test
    void aJsonlRecordOver20MbParsesIntoOneDocument() throws IOException {
        int chars = 21_000_000; // over Jackson's default maxStringLength of 20,000,000
        Path file = dir.resolve("big.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"source\":\"big\",\"text\":\"");
            char[] block = "abcdefghij".repeat(100_000).toCharArray(); // 1,000,000 chars
            for (int i = 0; i < chars / block.length; i++) {
                w.write(block);
            }
            w.write("\"}\n{\"text\":\"after\"}\n");
        }
        try (JsonlDocuments docs = new JsonlDocuments(new LineReader(file))) {
            Document d = docs.next();
            assertEquals(chars, d.text().length());
            assertEquals("big", d.source());
            assertEquals("abcdefghij", d.text().substring(chars - 10));
            assertEquals("after", docs.next().text());
            assertNull(docs.next());
        }
    }

    @Test
    void aParserLimitIsReportedAsALimitNotAsMalformedJson() throws IOException {
        // Nesting deeper than the parser allows, in a field curlab ignores: valid JSON, but over a limit.
        int depth = 5_000;
        String line = "{\"text\":\"x\",\"meta\":" + "[".repeat(depth) + "]".repeat(depth) + "}\n";
        Path file = Files.writeString(dir.resolve("deep.jsonl"), "{\"text\":\"ok\"}\n" + line);
        DataException e = assertThrows(DataException.class, () -> {
            try (JsonlDocuments docs = new JsonlDocuments(new LineReader(file))) {
                while (docs.next() != null) {
                    // read to the failing line
                }
            }
        });
        String msg = e.getMessage();
        assertTrue(msg.startsWith("file " + file + " line 2: "), msg);
        assertTrue(msg.contains("limit"), msg);
        assertFalse(msg.contains("malformed"), msg);
        assertFalse(msg.contains("\n"), msg);
    }

    @Test
    void aLineLongerThanALineCanHoldIsReportedWithTheLimit() throws IOException {
        Path file = Files.writeString(dir.resolve("long.txt"), "short\n" + "x".repeat(100) + "\nshort\n");
        try (LineReader lines = new LineReader(file, 64)) {
            assertEquals("short", lines.readLine());
            DataException e = assertThrows(DataException.class, lines::readLine);
            assertEquals("file " + file + " line 2: a line longer than 64 bytes, the most one line can hold; "
                    + "split the record", e.getMessage());
        }
    }
}
