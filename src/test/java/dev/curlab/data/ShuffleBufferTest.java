package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeded shuffle buffer over file windows: a permutation per epoch, seeded, and exact on resume. */
class ShuffleBufferTest {
    private static final int T = 7;          // windows of 8 byte tokens
    private final Tokenizer bytes = new ByteTokenizer();

    @TempDir
    Path dir;

    /** A .txt of 40 documents "doc NN ..." of 31 bytes, 32 tokens with the eot between them: 159 windows of 8. */
    private Path text() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 40; d++) {
            sb.append(String.format("doc %02d %s", d, "abcdefghijklmnopqrstuvwx")).append("\n\n");
        }
        Path f = dir.resolve("t.txt");
        Files.writeString(f, sb);
        return f;
    }

    private static List<Window> epoch(DataSource src, int n) {
        List<Window> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(src.next());
        }
        return out;
    }

    @Test
    void everyWindowOfAnEpochOnceInAnotherOrderAndTheEpochTurnsAtItsEnd() throws IOException {
        Path f = text();
        List<Window> plain = DataSpecs.take(new FileSource(f, bytes, T), 1000);
        assertEquals(159, plain.size());
        try (DataSource src = DataSpecs.open(f.toString(), bytes, T, 1, Role.TRAIN, 16)) {
            for (int e = 0; e < 3; e++) {
                List<Window> got = epoch(src, plain.size());
                assertEquals(e, src.epoch(), "epoch " + e + " still, after its last window");
                assertNotEquals(plain, got, "shuffled");
                List<Window> sorted = new ArrayList<>(got);
                sorted.sort(Comparator.comparingLong(Window::id));
                assertEquals(plain, sorted, "epoch " + e + " is a permutation of the file's windows");
            }
            src.next();
            assertEquals(3, src.epoch());
        }
    }

    @Test
    void aBufferLargerThanTheEpochShufflesTheWholeEpoch() throws IOException {
        Path f = text();
        List<Window> plain = DataSpecs.take(new FileSource(f, bytes, T), 1000);
        try (DataSource src = DataSpecs.open(f.toString(), bytes, T, 2, Role.TRAIN, 10_000)) {
            List<Window> got = epoch(src, plain.size());
            assertEquals(0, src.epoch());
            got.sort(Comparator.comparingLong(Window::id));
            assertEquals(plain, got);
        }
    }

    @Test
    void aWindowLeavesTheBufferNoEarlierThanItsSizeAllows() throws IOException {
        // with a buffer of K, the window handed out at position p was read among the first p + K
        Path f = text();
        try (DataSource src = DataSpecs.open(f.toString(), bytes, T, 3, Role.TRAIN, 16)) {
            for (int p = 0; p < 159; p++) {
                long id = src.next().id();
                assertTrue(id < p + 16, "position " + p + " handed out window " + id);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameOrderAndAnotherSeedAnother() throws IOException {
        String f = text().toString();
        List<Window> a = DataSpecs.take(DataSpecs.open(f, bytes, T, 7, Role.TRAIN, 32), 160);
        List<Window> b = DataSpecs.take(DataSpecs.open(f, bytes, T, 7, Role.TRAIN, 32), 160);
        List<Window> c = DataSpecs.take(DataSpecs.open(f, bytes, T, 8, Role.TRAIN, 32), 160);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void zeroIsTheOldInOrderStreamAndBuiltinDataIsNeverShuffled() throws IOException {
        String f = text().toString();
        assertEquals(DataSpecs.take(new FileSource(Path.of(f), bytes, T), 1000),
                DataSpecs.take(DataSpecs.open(f, bytes, T, 7, Role.TRAIN, 0), 1000));
        try (DataSource plain = DataSpecs.open("builtin:mixture", bytes, 16, 4, Role.TRAIN);
             DataSource buffered = DataSpecs.open("builtin:mixture", bytes, 16, 4, Role.TRAIN, 1000)) {
            assertTrue(buffered instanceof BuiltinMixture);
            for (int i = 0; i < 300; i++) {
                assertEquals(plain.next(), buffered.next());
            }
        }
        UserError e = assertThrows(UserError.class, () -> DataSpecs.open(f, bytes, T, 7, Role.TRAIN, -1));
        assertEquals("--shuffle-buffer must be >= 0 (0 = off), got -1", e.getMessage());
    }

    @Test
    void skipToRestoresTheBufferAndGeneratorAnywhereAcrossEpochs() throws IOException {
        String f = text().toString();
        List<Window> straight = new ArrayList<>();
        List<Integer> epochs = new ArrayList<>();
        try (DataSource src = DataSpecs.open(f, bytes, T, 11, Role.TRAIN, 24)) {
            for (int i = 0; i < 400; i++) {
                straight.add(src.next());
                epochs.add(src.epoch());
            }
        }
        for (int at : new int[] {0, 1, 23, 97, 158, 159, 160, 250}) {
            try (DataSource resumed = new PrefetchingDataSource(DataSpecs.open(f, bytes, T, 11, Role.TRAIN, 24), 8)) {
                resumed.skipTo(at);
                assertEquals(at, resumed.position());
                for (int i = at; i < 400; i++) {
                    assertEquals(straight.get(i), resumed.next(), "restored at " + at + ", window " + i);
                    assertEquals(epochs.get(i), resumed.epoch(), "restored at " + at + ", epoch at " + i);
                }
            }
        }
    }

    @Test
    void directoryOfTwoSingleSourceFilesGivesMixedCandidatesFromTheFirstSteps() throws IOException {
        // one file per source, documents of ~10 windows; steps of N = 4 consecutive stream windows
        Files.createDirectories(dir.resolve("d"));
        for (String source : List.of("a", "b")) {
            StringBuilder sb = new StringBuilder();
            for (int d = 0; d < 30; d++) {
                sb.append("{\"text\":\"").append(source.repeat(79)).append("\",\"source\":\"").append(source).append("\"}\n");
            }
            Files.writeString(dir.resolve("d/" + source + ".jsonl"), sb);
        }
        String spec = dir.resolve("d").toString();
        int inOrder = singleSourceSteps(DataSpecs.open(spec, bytes, T, 0, Role.TRAIN, 0), 30);
        int shuffled = singleSourceSteps(DataSpecs.open(spec, bytes, T, 0, Role.TRAIN, 100), 30);
        assertEquals(30, inOrder, "file after file: every one of the first 30 steps offers one source");
        // a fair mix of two sources makes a step single-source with probability 2 / 2^4 = 1/8: ~4 of 30
        assertTrue(shuffled <= 10, shuffled + " of 30 steps offered a single source");
    }

    @Test
    void filesAreInterleavedInProportionToTheirSizesEachDocumentOnceInFileOrder() throws IOException {
        Files.createDirectories(dir.resolve("p"));
        Path big = dir.resolve("p/big.jsonl");
        Path small = dir.resolve("p/small.jsonl");
        Files.writeString(big, docs("big", 300));
        Files.writeString(small, docs("small", 100));   // a third of big's size
        InterleavedDocuments docs = new InterleavedDocuments(List.of(big, small), new Rng(5));
        List<String> texts = new ArrayList<>();
        for (Document d; (d = docs.next()) != null; ) {
            texts.add(d.text());
        }
        docs.close();
        assertEquals(400, texts.size());
        assertEquals(docs("big", 300).lines().map(ShuffleBufferTest::text).toList(),
                texts.stream().filter(t -> t.startsWith("big")).toList(), "big's documents once, in order");
        assertEquals(docs("small", 100).lines().map(ShuffleBufferTest::text).toList(),
                texts.stream().filter(t -> t.startsWith("small")).toList());
        // of the first 200 documents, big's share is its share of the bytes, 3/4 (binomial sd ~6 of 150)
        long fromBig = texts.subList(0, 200).stream().filter(t -> t.startsWith("big")).count();
        assertTrue(fromBig >= 125 && fromBig <= 175, fromBig + " of the first 200 from big");
    }

    private static String docs(String name, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("{\"text\":\"%s %04d\"}%n", name, i));
        }
        return sb.toString();
    }

    private static String text(String jsonLine) {
        return jsonLine.substring(9, jsonLine.length() - 2);
    }

    /** Among the first {@code steps} groups of 4 windows, those whose windows all carry one source. */
    static int singleSourceSteps(DataSource src, int steps) {
        try (src) {
            int single = 0;
            for (int s = 0; s < steps; s++) {
                String first = src.next().source();
                boolean same = true;
                for (int i = 1; i < 4; i++) {
                    same &= first.equals(src.next().source());
                }
                single += same ? 1 : 0;
            }
            return single;
        }
    }
}
