package dev.curlab.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.report.CompareReport;
import dev.curlab.report.EfficiencyTable;
import dev.curlab.report.PairedStats;
import dev.curlab.report.RunData;
import dev.curlab.report.StatsFiles;
import dev.curlab.report.TaskCurves;
import dev.curlab.select.catalog.Selectors;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pretraining grid of {@code compare} (and of {@code demo}'s first part and the RL warm starts):
 * every selector × seed with shared settings, run by a {@link GridRunner}, then the sample-efficiency
 * table (summary.md, summary.csv, runs.csv), the paired statistics, the task curves and report.html,
 * all rebuilt from the cells' files. {@code OUT/compare.json} records the grid.
 */
public final class CompareGrid {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CompareGrid() {
    }

    /**
     * One grid: the shared training settings, the selectors, the seeds, the examples-to-target loss
     * (NaN: random's mean final eval loss) and the statistics' reference selector.
     */
    public record Spec(TrainConfig base, List<String> selectors, List<Long> seeds, double targetLoss, String reference) {
        /** A grid whose statistics compare against random. */
        public Spec(TrainConfig base, List<String> selectors, List<Long> seeds, double targetLoss) {
            this(base, selectors, seeds, targetLoss, EfficiencyTable.BASELINE);
        }

        /** Its cells, selector by selector, seed by seed. */
        public List<TrainCell> cells() {
            List<TrainCell> cells = new ArrayList<>();
            for (String s : selectors) {
                for (long k : seeds) {
                    cells.add(TrainCell.of(base, s, k));
                }
            }
            return cells;
        }
    }

    /** Checks the grid before anything runs; throws a one-line {@link UserError} on a mistake. */
    public static void validate(List<String> selectors, List<Long> seeds, double targetLoss) {
        if (selectors.isEmpty() || selectors.stream().anyMatch(String::isBlank)) {
            throw new UserError("--selectors: expected a comma-separated list of selector names, e.g. random,loss");
        }
        for (String s : selectors) {
            if (!Selectors.exists(s)) {
                throw new UserError("--selectors: unknown selector '" + s + "' (expected one of "
                        + String.join(", ", Selectors.names()) + ")");
            }
        }
        if (new LinkedHashSet<>(selectors).size() != selectors.size()) {
            throw new UserError("--selectors: a selector is named twice in " + String.join(",", selectors));
        }
        if (seeds.isEmpty() || new LinkedHashSet<>(seeds).size() != seeds.size()) {
            throw new UserError("--seed-list: expected distinct seeds, got " + seeds);
        }
        if (seeds.stream().anyMatch(s -> s < 0)) {
            throw new UserError("--seed-list: seeds must be >= 0, got " + seeds);
        }
        if (Double.isNaN(targetLoss) && !selectors.contains(EfficiencyTable.BASELINE)) {
            throw new UserError("--target-loss is required when --selectors does not include random "
                    + "(the default target is random's mean final eval loss)");
        }
        if (!Double.isNaN(targetLoss) && !(targetLoss > 0 && Double.isFinite(targetLoss))) {
            throw new UserError("--target-loss must be a positive number of nats per token, got " + targetLoss);
        }
    }

    /**
     * Runs (or resumes, or skips) every cell of {@code spec} with {@code runner}, then writes the tables
     * and the report. Returns the exit code and, when 0, what to print.
     */
    public static Result run(GridRunner runner, Spec spec, String label, GridRunner.Display display, boolean progress, boolean drawBar) {
        validate(spec.selectors(), spec.seeds(), spec.targetLoss());
        List<TrainCell> cells = spec.cells();
        runner.check(cells);
        Path out = runner.out();
        writeGrid(out, spec);
        TrainConfig base = spec.base();
        System.out.println("curlab " + label + ": " + spec.selectors().size() + " selector(s) x " + spec.seeds().size() + " seed(s) of "
                + (base.budgetFlops() > 0 ? String.format(Locale.ROOT, "a budget of %.3e FLOPs", base.budgetFlops())
                        : base.steps() + " steps") + " on " + base.data() + " into " + out);
        int code = runner.run(cells, display, progress, drawBar);
        return code != 0 ? new Result(code, null) : new Result(0, summarise(out, cells, spec.targetLoss(), spec.reference()));
    }

    /** A grid's exit code and, when it finished, what to print: the tables, and where its summary and report are. */
    public record Result(int code, String summary) {
    }

    /** Writes summary.*, stats.*, the task curves and report.html from the finished cells; returns what to print. */
    public static String summarise(Path out, List<TrainCell> cells, double targetLoss, String reference) {
        List<RunData> runs = new ArrayList<>();
        for (TrainCell c : cells) {
            runs.add(RunData.load(CellFolders.dir(out, c)));
        }
        EfficiencyTable table = EfficiencyTable.build(runs, targetLoss);
        writeSummary(out, table);
        PairedStats stats = PairedStats.build(runs, reference);
        StatsFiles.write(out, stats);
        TaskCurves curves = TaskCurves.build(runs);                            // --task-every: accuracy as training goes
        if (!curves.isEmpty()) {
            curves.writeInto(out);
        }
        Path report = CompareReport.write(out.resolve("report.html"), out.getFileName().toString(), runs, table,
                StatsFiles.html(out, stats) + curves.html());
        String text = "\n" + table.markdown() + "\n" + StatsFiles.markdown(out, stats) + curves.markdown() + "\n"
                + "summary: " + out.resolve("summary.md").toAbsolutePath() + " (and summary.csv, runs.csv)\n"
                + "report:  " + report.toAbsolutePath() + "\n";
        return text;
    }

    /** summary.csv, runs.csv and summary.md of {@code table} in {@code out}. */
    public static void writeSummary(Path out, EfficiencyTable table) {
        try {
            Files.writeString(out.resolve("summary.csv"), table.csv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("runs.csv"), table.runsCsv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("summary.md"), "# Sample efficiency\n\n" + table.markdown() + "\n## Runs\n\n"
                    + table.runsMarkdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary in " + out, e);
        }
    }

    private static void writeGrid(Path out, Spec spec) {
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("selectors", spec.selectors());
        grid.put("seeds", spec.seeds());
        grid.put("target_loss", Double.isNaN(spec.targetLoss()) ? null : spec.targetLoss());
        grid.put("reference", spec.reference());
        grid.put("config", spec.base());
        try {
            Files.createDirectories(out);
            JSON.writeValue(out.resolve("compare.json").toFile(), grid);
        } catch (IOException e) {
            throw new UserError("--out " + out + ": cannot write compare.json (" + e.getMessage() + ")");
        }
    }
}
