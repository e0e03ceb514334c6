package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files written by DuckDB itself, read back as documents and windows. */
class ParquetDocumentsTest {
    @TempDir
    Path dir;

    /** Runs {@code COPY (select) TO 'file' (FORMAT PARQUET)} and returns the file. */
    static Path parquet(Path file, String select) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT PARQUET)");
        }
        return file;
    }

    @Test
    void readsTextSourceAndDifficultyInFileOrder() throws Exception {
        Path f = parquet(dir.resolve("a.parquet"), "SELECT * FROM (VALUES ('ab', 'web', 0.5, 1), ('cd', NULL, NULL, 2),"
                + " ('ef', 'code', 2, 3)) t(text, source, difficulty, other)");
        List<Document> docs = new ArrayList<>();
        try (ParquetDocuments r = new ParquetDocuments(f)) {
            for (Document d = r.next(); d != null; d = r.next()) {
                docs.add(d);
            }
        }
        assertEquals(List.of(new Document("ab", "web", 0.5), new Document("cd", null, Double.NaN),
                new Document("ef", "code", 2.0)), docs);
    }

    @Test
    void streamsManyRowsAndCutsWindowsLikeOtherFiles() throws Exception {
        // 5,000 rows: more than a few fetch batches; the same documents as a .jsonl file give the same windows.
        Path f = parquet(dir.resolve("many.parquet"), "SELECT 'doc ' || i AS text FROM range(5000) t(i)");
        StringBuilder txt = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            txt.append("{\"text\":\"doc ").append(i).append("\"}\n");
        }
        Path t = Files.writeString(dir.resolve("many.jsonl"), txt, StandardCharsets.UTF_8);
        try (FileSource p = new FileSource(f, new ByteTokenizer(), 15); FileSource q = new FileSource(t, new ByteTokenizer(), 15)) {
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(q.next().tokens(), p.next().tokens(), "window " + i);
            }
            assertEquals(0, p.epoch());
        }
    }

    @Test
    void directoryOfShardsIncludesParquet() throws Exception {
        Path shards = Files.createDirectories(dir.resolve("shards"));
        parquet(shards.resolve("b.parquet"), "SELECT 'second' AS text");
        Files.writeString(shards.resolve("a.jsonl"), "{\"text\":\"first\"}\n");
        Files.writeString(shards.resolve("notes.md"), "ignored");
        try (FileSource s = new FileSource(shards, new ByteTokenizer(), 11)) {
            assertEquals("first" + ByteTokenizer.EOT_MARKER + "second", new ByteTokenizer().decode(s.next().tokens()));
            assertTrue(s.describe().contains("(2 files)"), s.describe());
        }
    }

    @Test
    void missingTextColumnListsTheColumns() throws Exception {
        Path f = parquet(dir.resolve("m.parquet"), "SELECT 'x' AS body, 1 AS id");
        DataException e = assertThrows(DataException.class, () -> new ParquetDocuments(f));
        assertEquals("file " + f + ": no column \"text\" (columns: body, id)", e.getMessage());
    }

    @Test
    void textThatIsNotAString() throws Exception {
        Path f = parquet(dir.resolve("n.parquet"), "SELECT 42 AS text");
        DataException e = assertThrows(DataException.class, () -> new ParquetDocuments(f));
        assertEquals("file " + f + ": column \"text\" must be a string, got INTEGER", e.getMessage());
    }

    @Test
    void nullTextNamesTheRow() throws Exception {
        Path f = parquet(dir.resolve("z.parquet"), "SELECT * FROM (VALUES ('a'), (NULL)) t(text)");
        try (ParquetDocuments r = new ParquetDocuments(f)) {
            r.next();
            DataException e = assertThrows(DataException.class, r::next);
            assertEquals("file " + f + " row 2: \"text\" must be a string, got null", e.getMessage());
        }
    }

    @Test
    void badOptionalColumns() throws Exception {
        Path d = parquet(dir.resolve("d.parquet"), "SELECT 'x' AS text, 'hard' AS difficulty");
        assertEquals("file " + d + ": column \"difficulty\" must be a number, got VARCHAR",
                assertThrows(DataException.class, () -> new ParquetDocuments(d)).getMessage());
        Path s = parquet(dir.resolve("s.parquet"), "SELECT 'x' AS text, 7 AS source");
        assertEquals("file " + s + ": column \"source\" must be a string, got INTEGER",
                assertThrows(DataException.class, () -> new ParquetDocuments(s)).getMessage());
    }

    @Test
    void corruptFileIsOneLine() throws Exception {
        Path f = Files.writeString(dir.resolve("bad.parquet"), "this is not parquet at all, just text");
        DataException e = assertThrows(DataException.class, () -> new ParquetDocuments(f));
        assertTrue(e.getMessage().startsWith("cannot read Parquet file " + f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        // A truncated real file: its footer is gone.
        Path good = parquet(dir.resolve("good.parquet"), "SELECT 'doc ' || i AS text FROM range(100) t(i)");
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.parquet"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DataException c = assertThrows(DataException.class, () -> new ParquetDocuments(cut));
        assertTrue(c.getMessage().startsWith("cannot read Parquet file " + cut + ": "), c.getMessage());
    }

    @Test
    void unsupportedExtensionMessageListsParquet() {
        DataException e = assertThrows(DataException.class, () -> DataFiles.list(write("x.csv")));
        assertEquals("unsupported data file " + dir.resolve("x.csv") + " (expected .txt, .jsonl, .jsonl.gz or .parquet)", e.getMessage());
        // A directory holding only unsupported files names the supported kinds, Parquet among them.
        Path only = dir.resolve("csv-only");
        DataException d = assertThrows(DataException.class, () -> {
            java.nio.file.Files.createDirectories(only);
            java.nio.file.Files.writeString(only.resolve("y.csv"), "a,b\n");
            DataFiles.list(only);
        });
        assertEquals("directory " + only + " contains no data files (expected .txt, .jsonl, .jsonl.gz or .parquet)", d.getMessage());
    }

    private Path write(String name) {
        try {
            return Files.writeString(dir.resolve(name), "a,b\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
