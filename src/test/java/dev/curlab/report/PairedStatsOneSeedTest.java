package dev.curlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One seed per selector (the demo): the table says so once, in a note, not as the verdict of every row. */
class PairedStatsOneSeedTest {
    @TempDir
    Path tmp;

    @Test
    void oneSeedIsSaidOnceNotOnEveryRow() throws Exception {
        List<RunData> runs = List.of(
                RunData.load(HandRuns.write(tmp, "random", 0, "absolute", new double[] {5, 4, 3}, "")),
                RunData.load(HandRuns.write(tmp, "soft-q", 0, "absolute", new double[] {5, 3, 2.5}, "")),
                RunData.load(HandRuns.write(tmp, "loss", 0, "absolute", new double[] {5, 4.8, 4.6}, "")));
        String md = PairedStats.build(runs, "random").markdown();
        assertFalse(md.contains("one seed: no interval"), md);
        assertEquals(1, md.split("One seed", -1).length - 1, "one note: " + md);
        long rows = md.lines().filter(l -> l.startsWith("| soft-q") || l.startsWith("| loss")).count();
        assertEquals(8, rows, md);
        md.lines().filter(l -> l.startsWith("| soft-q") || l.startsWith("| loss"))
                .forEach(l -> assertEquals("-", l.split("\\|")[6].strip(), "no verdict of one pair: " + l));
    }
}
