package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare --jobs 2} with stderr not a terminal (a pipe, a log): plain lines, no carriage-return redraws. */
class CompareJobsPlainTest {
    @TempDir
    Path tmp;

    @Test
    void noCarriageReturnsWhenStderrIsNotATerminal() {
        String before = System.getProperty("curlab.interactive");
        System.setProperty("curlab.interactive", "false");
        try {
            Path out = tmp.resolve("grid");
            java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(CompareCommandTest.args(out, "random", "--seeds", "2",
                    "--jobs", "2", "--steps", "40")));
            a.remove("--no-progress");                                          // progress on, as by default
            String err = CompareCommandTest.stderrOf(() -> assertEquals(0, Main.run(a.toArray(String[]::new))));
            assertFalse(err.contains("\r"), "no redraws: " + err.replace("\r", "<CR>"));
        } finally {
            if (before == null) {
                System.clearProperty("curlab.interactive");
            } else {
                System.setProperty("curlab.interactive", before);
            }
        }
    }
}
