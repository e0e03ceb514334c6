package dev.curlab.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.rl.RlConfig;
import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid's folder rules: layout, the finished rule and the refusal of other settings, on hand-made folders. */
class CellFoldersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyKindOfCellLivesInArmSlashSeed() {
        RlCell rl = new RlCell(RlConfig.defaults().toBuilder().curator("uniform").seed(3).build());
        assertEquals(tmp.resolve("uniform").resolve("seed3"), CellFolders.dir(tmp, rl));
        assertEquals("uniform-seed3", rl.id());
        assertEquals("uniform seed 3", rl.name());
    }

    @Test
    void theDifferenceNamesEachKeyNestedOnesWithTheirPathAndLetsAContinuableOneGrow() {
        Map<String, Object> saved = new LinkedHashMap<>(Map.of("lr", 0.001, "steps", 3, "sel", new LinkedHashMap<>(Map.of("b", 2))));
        Map<String, Object> now = new LinkedHashMap<>(Map.of("lr", 0.01, "steps", 5, "sel", new LinkedHashMap<>(Map.of("b", 3))));
        now.put("extra", true);
        String d = CellFolders.describe(saved, now, Set.of("steps"));
        assertTrue(d.contains("lr 0.001 there, 0.01 now"), d);
        assertTrue(d.contains("sel.b 2 there, 3 now"), d);
        assertTrue(d.contains("extra null there, true now"), d);
        assertFalse(d.contains("steps"), "fewer steps there are continued: " + d);
        assertEquals(3, d.split("; ").length, d);
        assertEquals("steps 5 there, 3 now", CellFolders.describe(Map.of("steps", 5), Map.of("steps", 3), Set.of("steps")));
        assertEquals("steps 3 there, 5 now", CellFolders.describe(Map.of("steps", 3), Map.of("steps", 5), Set.of()));
        assertEquals("", CellFolders.describe(Map.of("steps", 3), Map.of("steps", 3), Set.of()));
    }

    @Test
    void aFolderMadeWithOtherSettingsIsRefusedNamingTheKeys() throws Exception {
        RlConfig cfg = RlConfig.defaults().toBuilder().curator("uniform").seed(0).steps(4).build();
        RlCell cell = new RlCell(cfg);
        Path dir = CellFolders.dir(tmp, cell);
        CellFolders.requireSameSettings(dir, cell, "rl-compare", "hint");          // nothing there: nothing to refuse
        writeConfig(dir, cfg.toBuilder().lr(0.01).steps(2).build());
        UserError e = assertThrows(UserError.class, () -> CellFolders.requireSameSettings(dir, cell, "rl-compare", "give another --out"));
        assertEquals("rl-compare: " + dir + " holds a run made with other settings (lr 0.01 there, 3.0E-4 now); give another --out",
                e.getMessage());
        writeConfig(dir, cfg.withSteps(2));
        CellFolders.requireSameSettings(dir, cell, "rl-compare", "hint");          // fewer steps: continued
        writeConfig(dir, cfg.withSteps(6));
        e = assertThrows(UserError.class, () -> CellFolders.requireSameSettings(dir, cell, "rl-compare", "hint"));
        assertTrue(e.getMessage().contains("(steps 6 there, 4 now)"), e.getMessage());
    }

    @Test
    void aCellIsFinishedWhenItsFinalEvalLineIsWritten() throws Exception {
        RlConfig cfg = RlConfig.defaults().toBuilder().curator("uniform").seed(0).steps(4).build();
        RlCell cell = new RlCell(cfg);
        Path dir = CellFolders.dir(tmp, cell);
        assertFalse(CellFolders.finished(dir, cell), "no folder");
        writeConfig(dir, cfg);
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, "{\"kind\":\"eval\",\"step\":0}\n{\"kind\":\"step\",\"step\":4}\n");
        assertFalse(CellFolders.finished(dir, cell), "the last step without its eval line");
        Files.writeString(m, "{\"kind\":\"eval\",\"step\":2}\n", StandardOpenOption.APPEND);
        assertFalse(CellFolders.finished(dir, cell), "an eval line before the last step");
        Files.writeString(m, "{\"kind\":\"eval\",\"step\":4}\n", StandardOpenOption.APPEND);
        assertTrue(CellFolders.finished(dir, cell));
        assertFalse(CellFolders.finished(dir, new RlCell(cfg.withSteps(6))), "asked for more steps: continued");
    }

    @Test
    void theEarlierRlLayoutIsRefusedWithAHint() throws Exception {
        RlCell cell = new RlCell(RlConfig.defaults().toBuilder().curator("dapo").seed(1).build());
        CellFolders.requireCurrentLayout(tmp, List.of(cell), "rl-compare");
        Files.createDirectories(tmp.resolve("dapo-seed1"));
        CellFolders.requireCurrentLayout(tmp, List.of(cell), "rl-compare");     // a folder with no run in it is not a cell
        Files.writeString(tmp.resolve("dapo-seed1/config.json"), "{}");
        UserError e = assertThrows(UserError.class, () -> CellFolders.requireCurrentLayout(tmp, List.of(cell), "rl-compare"));
        assertEquals("rl-compare: " + tmp + " holds cells in the earlier layout (dapo-seed1/); cells now live in dapo/seed1/: "
                + "move each <curator>-seed<k> to <curator>/seed<k> to keep them, or give another --out", e.getMessage());
    }

    private static void writeConfig(Path dir, RlConfig cfg) throws Exception {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("config.json").toFile(), Map.of("config", cfg));
    }
}
