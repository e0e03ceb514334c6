package dev.curlab.grid;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.report.MetricsFile;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The grid's three rules about a cell's folder, the same for pretraining and RL cells:
 * <ol>
 *   <li><b>Layout:</b> a cell lives in {@code OUT/<arm>/seed<k>/} (arm: selector or curator).</li>
 *   <li><b>Finished:</b> its run's metrics.jsonl holds the final eval line, at the run's last step
 *       ({@link Cell#finalStep}); a finished cell is read, never rerun.</li>
 *   <li><b>Other settings:</b> a folder whose config.json records other settings than the cell's
 *       (beyond a {@link Cell#continuable()} one that may grow) is refused before any cell runs,
 *       naming each differing key.</li>
 * </ol>
 */
public final class CellFolders {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private CellFolders() {
    }

    /** Where the cell of {@code arm} at {@code seed} lives in the grid {@code out}. */
    public static Path dir(Path out, String arm, long seed) {
        return out.resolve(arm).resolve("seed" + seed);
    }

    public static Path dir(Path out, Cell cell) {
        return dir(out, cell.arm(), cell.seed());
    }

    /** True when the run in {@code dir} has written its final eval line. */
    public static boolean finished(Path dir, Cell cell) {
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(metrics)) {
            return false;
        }
        double[] evals = MetricsFile.column(MetricsFile.read(metrics).evals(), "step");
        return evals.length > 0 && evals[evals.length - 1] == cell.finalStep(dir);
    }

    /**
     * Refuses (one line, exit 2) the folder of {@code cell} when it holds a run made with other settings;
     * {@code hint} says what to do instead.
     */
    public static void requireSameSettings(Path dir, Cell cell, String label, String hint) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            return;                                                        // nothing kept: the cell (re)starts
        }
        Map<String, Object> saved;
        try {
            saved = cell.recorded(dir);
        } catch (UserError e) {
            throw new UserError(label + ": " + dir + " holds no " + cell.kind() + " run of this grid (" + e.getMessage() + "); " + hint);
        }
        String diff = describe(saved, cell.settings(), cell.continuable());
        if (!diff.isEmpty()) {
            throw new UserError(label + ": " + dir + " holds a run made with other settings (" + diff + "); " + hint);
        }
    }

    /**
     * The keys whose values differ, as {@code "lr 3.0E-4 there, 0.01 now; selector_settings.candidates 16 there, 32 now"};
     * a {@code continuable} key differs only when the saved number is the larger. "" when none differ.
     */
    @SuppressWarnings("unchecked")
    static String describe(Map<String, Object> saved, Map<String, Object> now, Set<String> continuable) {
        StringBuilder sb = new StringBuilder();
        describe("", saved, now, continuable, sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void describe(String prefix, Map<String, Object> a, Map<String, Object> b, Set<String> continuable, StringBuilder sb) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            Object x = a.get(k);
            Object y = b.get(k);
            if (Objects.equals(x, y)) {
                continue;
            }
            if (x instanceof Map<?, ?> mx && y instanceof Map<?, ?> my) {
                describe(prefix + k + ".", (Map<String, Object>) mx, (Map<String, Object>) my, continuable, sb);
                continue;
            }
            if (continuable.contains(prefix + k) && x instanceof Number nx && y instanceof Number ny
                    && nx.doubleValue() <= ny.doubleValue()) {
                continue;                                                  // fewer steps there: continued to the new count
            }
            sb.append(sb.length() == 0 ? "" : "; ").append(prefix).append(k).append(' ').append(x).append(" there, ").append(y)
                    .append(" now");
        }
    }

    /**
     * Refuses a grid directory of the earlier rl-compare layout ({@code OUT/<curator>-seed<k>/}), whose
     * cells the grid would otherwise not see and run again beside them.
     */
    public static void requireCurrentLayout(Path out, List<? extends Cell> cells, String label) {
        for (Cell c : cells) {
            Path old = out.resolve(c.id());
            if (Files.isRegularFile(old.resolve("config.json"))) {
                throw new UserError(label + ": " + out + " holds cells in the earlier layout (" + old.getFileName() + "/); cells now live in "
                        + c.arm() + "/seed" + c.seed() + "/: move each <curator>-seed<k> to <curator>/seed<k> to keep them, or give another --out");
            }
        }
    }

    /** A config as the JSON map its run writes (numbers as JSON reads them back, so saved and wanted compare equal). */
    static Map<String, Object> asMap(Object config) {
        try {
            return JSON.readValue(JSON.writeValueAsString(config), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The "config" section of {@code dir}/config.json as written. */
    static Map<String, Object> savedSection(Path dir) {
        Path file = dir.resolve("config.json");
        try {
            Object c = JSON.readValue(file.toFile(), MAP).get("config");
            if (!(c instanceof Map<?, ?>)) {
                throw new UserError(file + " has no config section");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) c;
            return m;
        } catch (IOException e) {
            throw new UserError(file + " is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }
}
