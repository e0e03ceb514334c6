package dev.curlab.cli;

import dev.curlab.data.Tokenizers;
import dev.curlab.eval.DownstreamTasks;
import dev.curlab.interop.ModelCheckpoints;
import dev.curlab.model.Gpt2Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The downstream multiple-choice accuracy of every final checkpoint of a comparison grid: printed,
 * and written as {@code DIR/downstream.csv} and a section of {@code summary.md}.
 */
final class DownstreamTable {
    private DownstreamTable() {
    }

    static void write(Path out, List<String> selectors, List<Long> seeds, Map<String, Path> tasks, int shots, int limit) {
        StringBuilder csv = new StringBuilder("selector,seed,task,questions,acc,acc_norm\n");
        StringBuilder md = new StringBuilder("\n## Downstream tasks (final checkpoints)\n\n| selector | seed | task | questions | acc | acc_norm |\n| --- | --- | --- | --- | --- | --- |\n");
        for (String selector : selectors) {
            for (long seed : seeds) {
                Path dir = dev.curlab.grid.CellFolders.dir(out, selector, seed);
                ModelCheckpoints.Loaded loaded = ModelCheckpoints.open(dir, "--task", msg -> System.err.println("curlab: warning: " + msg));
                try (Gpt2Model model = loaded.model()) {
                    for (DownstreamTasks.TaskResult r : DownstreamTasks.run(model, Tokenizers.byName(loaded.tokenizer()), tasks, shots, limit)) {
                        String norm = Double.isNaN(r.accNorm()) ? "" : String.format(Locale.ROOT, "%.4f", r.accNorm());
                        csv.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.4f,%s%n", selector, seed, r.task(), r.questions(), r.acc(), norm));
                        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.4f | %s |%n", selector, seed, r.task(), r.questions(), r.acc(),
                                norm.isEmpty() ? "-" : norm));
                    }
                }
            }
        }
        try {
            Files.writeString(out.resolve("downstream.csv"), csv, StandardCharsets.UTF_8);
            Files.writeString(out.resolve("summary.md"), md, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the downstream table in " + out, e);
        }
        System.out.print(md);
        System.out.println("downstream: " + out.resolve("downstream.csv").toAbsolutePath());
    }
}
