package dev.curlab.grid;

import dev.curlab.report.RlReport;
import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlLedger;
import dev.curlab.rl.RlTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RL grid of {@code rl-compare} (and of {@code demo}'s RL part): curators × seeds run by a
 * {@link GridRunner}, then the table of {@link RlTable} with the compute ledger (OUT/table.md) and
 * report.html, rebuilt from the cells' files.
 */
public final class RlCompareGrid {
    private RlCompareGrid() {
    }

    /** Its cells, in the order given. */
    public static List<RlCell> cells(List<RlConfig> configs) {
        return configs.stream().map(RlCell::new).toList();
    }

    /**
     * Runs (or resumes, or reads) every cell with {@code runner}, then writes the table (at
     * {@code target}, 0 = automatic) and the report. Returns the exit code and, when 0, what to print.
     */
    public static CompareGrid.Result run(GridRunner runner, List<RlConfig> configs, double target, GridRunner.Display display,
            boolean progress, boolean drawBar) throws IOException {
        List<RlCell> cells = cells(configs);
        runner.check(cells);                                                  // no cell runs until every kept one is checked
        int code = runner.run(cells, display, progress, drawBar);
        return code != 0 ? new CompareGrid.Result(code, null) : new CompareGrid.Result(0, summarise(runner.out(), cells, target));
    }

    /** The cells' folders by curator, in the grid's order. */
    public static Map<String, List<Path>> folders(Path out, List<? extends Cell> cells) {
        Map<String, List<Path>> dirs = new LinkedHashMap<>();
        for (Cell c : cells) {
            dirs.computeIfAbsent(c.arm(), k -> new ArrayList<>()).add(CellFolders.dir(out, c));
        }
        return dirs;
    }

    /** Writes table.md and report.html from the finished cells; returns what to print. */
    public static String summarise(Path out, List<RlCell> cells, double target) throws IOException {
        Map<String, List<Path>> dirs = folders(out, cells);
        double tgt = target > 0 ? target : RlTable.autoTarget(RlTable.collect(dirs, 2));
        Map<String, List<RlLedger.Totals>> ledgers = RlLedger.collect(dirs);
        String reference = dirs.containsKey("uniform") ? "uniform" : dirs.keySet().iterator().next();
        String table = RlTable.markdown(RlTable.collect(dirs, tgt), tgt) + "\nCompute ledger (means over seeds):\n\n"
                + RlLedger.ledgerMarkdown(ledgers) + (dirs.size() > 1 ? "\n" + RlLedger.pairedMarkdown(ledgers, reference) : "");
        Files.writeString(out.resolve("table.md"), table);
        List<Path> all = new ArrayList<>();
        dirs.values().forEach(all::addAll);
        Path report = RlReport.write(out.resolve("report.html"), String.valueOf(out.toAbsolutePath().normalize().getFileName()), all);
        return table + "table: " + out.resolve("table.md").toAbsolutePath() + "\n" + "report: " + report.toAbsolutePath() + "\n";
    }
}
