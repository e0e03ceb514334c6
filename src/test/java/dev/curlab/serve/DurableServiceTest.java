package dev.curlab.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.curlab.util.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory without HTTP: replay of snapshot + journal, a torn last line, a corrupt one, a refused restore. */
class DurableServiceTest {
    @TempDir
    Path tmp;

    static ServeConfig cfg(Path state, String curator) {
        return new ServeConfig("builtin:arith", curator, 9, 100, 4, state, ServeConfig.LOCALHOST, 0, null, 4096, 4, 1);
    }

    static int[] sample(DurableService s, String body) {
        JsonNode n = Requests.parse(body.getBytes(StandardCharsets.UTF_8));
        return s.sample(Requests.sample(n), n).indices();
    }

    static void update(DurableService s, String id, int[] picks, int k) {
        StringBuilder b = new StringBuilder("{\"request_id\":\"" + id + "\",\"results\":[");
        for (int j = 0; j < picks.length; j++) {
            b.append(j == 0 ? "" : ",").append("{\"index\":").append(picks[j]).append(",\"acc\":[").append((picks[j] + k) % 2).append(",1,0]}");
        }
        JsonNode n = Requests.parse(b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        s.update(Requests.update(n), n);
    }

    /** Seven calls (a snapshot after four, three journal records after it), then a copy of the directory as a crash would leave it. */
    static void script(DurableService s) {
        for (int k = 0; k < 3; k++) {
            update(s, "u" + k, sample(s, "{\"n\":3,\"request_id\":\"s" + k + "\"}"), k);
        }
        sample(s, "{\"n\":2}");
    }

    static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of(StateDir.CONFIG, StateDir.SNAPSHOT, StateDir.JOURNAL)) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
    }

    @Test
    void aCopyWithATornLastLineReplaysToTheLastAcknowledgedCall() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (DurableService s = DurableService.open(cfg(a, "learnability-history"))) {
            script(s);
            copy(a, b);
            long journalBytes = Files.size(b.resolve(StateDir.JOURNAL));
            assertTrue(journalBytes > 0 && Files.size(b.resolve(StateDir.SNAPSHOT)) > 0, "snapshot and journal both in play");
            Files.writeString(b.resolve(StateDir.JOURNAL), "{\"seq\":8,\"op\":\"upd", StandardOpenOption.APPEND);
            try (DurableService r = DurableService.open(cfg(b, "learnability-history"))) {
                assertEquals(3, r.replayed());
                assertEquals(journalBytes, Files.size(b.resolve(StateDir.JOURNAL)), "the torn line is cut off");
                assertEquals(new String(s.state(true)), new String(r.state(true)));
                assertArrayEquals(sample(s, "{\"n\":4}"), sample(r, "{\"n\":4}"), "the next picks agree");
                update(s, "after", new int[] {1, 2}, 0);
                update(r, "after", new int[] {1, 2}, 0);
                assertArrayEquals(sample(s, "{\"n\":4}"), sample(r, "{\"n\":4}"));
            }
        }
    }

    @Test
    void aCorruptLineInsideTheJournalIsRefusedWithOneLine() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (DurableService s = DurableService.open(cfg(a, "learnability-history"))) {
            script(s);
            copy(a, b);
        }
        List<String> lines = Files.readAllLines(b.resolve(StateDir.JOURNAL));
        assertEquals(3, lines.size());
        lines.set(1, "{\"not a record");
        Files.write(b.resolve(StateDir.JOURNAL), lines);
        UserError e = assertThrows(UserError.class, () -> DurableService.open(cfg(b, "learnability-history")));
        assertEquals("--state " + b + ": journal.jsonl line 2 is corrupt (not a journal record)", e.getMessage());
    }

    @Test
    void aRestoreOfAnotherCuratorIsRefusedAndChangesNothing() throws Exception {
        byte[] other;
        try (DurableService u = DurableService.open(cfg(tmp.resolve("u"), "uniform"))) {
            other = u.checkpoint();
        }
        try (DurableService s = DurableService.open(cfg(tmp.resolve("l"), "learnability-history"))) {
            script(s);
            String before = new String(s.state(true));
            ApiError e = assertThrows(ApiError.class, () -> s.restore(Requests.parse(other)));
            assertEquals(422, e.status());
            assertEquals("state: it is of curator uniform, this service runs learnability-history", e.getMessage());
            assertEquals(before, new String(s.state(true)));
            byte[] mine = s.checkpoint();
            int[] next = sample(s, "{\"n\":3}");
            s.restore(Requests.parse(mine));                       // a rewind: the same picks again
            assertArrayEquals(next, sample(s, "{\"n\":3}"));
        }
    }

    /** A crash between the snapshot's rename and the journal's truncation: the old records are skipped by their sequence numbers. */
    @Test
    void recordsAlreadyInTheSnapshotAreNotReplayedTwice() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (DurableService s = DurableService.open(cfg(a, "learnability-history"))) {       // snapshot every 4 records
            int[] p = sample(s, "{\"n\":3,\"request_id\":\"s0\"}");
            update(s, "u0", p, 0);
            update(s, "u1", p, 1);
            byte[] oldJournal = Files.readAllBytes(a.resolve(StateDir.JOURNAL));
            assertEquals(3, new String(oldJournal).lines().count());
            update(s, "u2", p, 2);                                                     // record 4: snapshot, journal emptied
            assertEquals(0, Files.size(a.resolve(StateDir.JOURNAL)));
            copy(a, b);
            Files.write(b.resolve(StateDir.JOURNAL), oldJournal);
            try (DurableService r = DurableService.open(cfg(b, "learnability-history"))) {
                assertEquals(0, r.replayed());
                assertEquals(new String(s.state(true)), new String(r.state(true)));
            }
        }
    }
}
