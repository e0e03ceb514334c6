package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefetchingDataSourceTest {
    @TempDir
    Path tmp;

    @Test
    void sameWindowsInTheSameOrderAndPositionCountsWhatWasHandedOut() {
        Tokenizer bytes = new ByteTokenizer();
        try (DataSource plain = DataSpecs.open("builtin:mixture", bytes, 16, 3, Role.TRAIN);
             DataSource fetched = new PrefetchingDataSource(DataSpecs.open("builtin:mixture", bytes, 16, 3, Role.TRAIN), 8)) {
            for (int i = 0; i < 200; i++) {
                assertEquals(plain.next(), fetched.next());
                assertEquals(i + 1, fetched.position(), "position counts consumed windows, not read-ahead");
            }
        }
    }

    @Test
    void skipToResumesAtTheSameWindow() {
        Tokenizer bytes = new ByteTokenizer();
        try (DataSource straight = DataSpecs.open("builtin:mixture", bytes, 16, 5, Role.TRAIN);
             DataSource resumed = new PrefetchingDataSource(DataSpecs.open("builtin:mixture", bytes, 16, 5, Role.TRAIN), 4)) {
            straight.skipTo(37);
            resumed.skipTo(37);
            assertEquals(37, resumed.position());
            for (int i = 0; i < 20; i++) {
                assertEquals(straight.next(), resumed.next());
            }
        }
    }

    @Test
    void aDataErrorSurfacesAtTheWindowWhereItOccurs() throws Exception {
        Path f = tmp.resolve("d.jsonl");
        StringBuilder sb = new StringBuilder();
        sb.append("{\"text\":\"").append("x".repeat(40)).append("\"}\n");
        sb.append("not json\n");
        Files.writeString(f, sb);
        try (DataSource src = new PrefetchingDataSource(DataSpecs.open(f.toString(), new ByteTokenizer(), 16, 0, Role.TRAIN), 8)) {
            src.next();
            src.next(); // 41 tokens: two windows of 17 before the bad line is needed
            DataException e = assertThrows(DataException.class, src::next);
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        }
    }
}
