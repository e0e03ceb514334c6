package dev.curlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The paired statistics and the machine record of a compare directory: {@code stats.csv},
 * {@code stats.md}, the same sections appended to {@code summary.md}, and the report's HTML section.
 */
public final class StatsFiles {
    private StatsFiles() {
    }

    /** The Markdown of the statistics followed by the machine line. */
    public static String markdown(Path out, PairedStats stats) {
        return stats.markdown() + "\n" + MachineLog.markdown(MachineLog.read(out));
    }

    /** Writes stats.csv and stats.md and appends them to summary.md (written just before). */
    public static void write(Path out, PairedStats stats) {
        String md = markdown(out, stats);
        try {
            Files.writeString(out.resolve("stats.csv"), stats.csv(), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("stats.md"), "# Are the differences real?\n\n" + md, StandardCharsets.UTF_8);
            Path summary = out.resolve("summary.md");
            if (Files.isRegularFile(summary)) {
                Files.writeString(summary, "\n## Paired statistics\n\n" + md, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the statistics in " + out, e);
        }
    }

    /** The report's section: statistics and machine. */
    public static String html(Path out, PairedStats stats) {
        return stats.html() + CompareReport.markdownToHtml(MachineLog.markdown(MachineLog.read(out)));
    }
}
