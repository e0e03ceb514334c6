package dev.curlab.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The grid sits below the commands: no grid source names the cli package (cli imports grid, never the reverse). */
class GridLayeringTest {
    @Test
    void gridSourcesDoNotUseTheCliPackage() throws Exception {
        Path dir = Path.of("src/main/java/dev/curlab/grid");
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() >= 8, "grid sources expected in " + dir.toAbsolutePath());
        List<String> offenders = sources.stream().filter(p -> {
            try {
                return Files.readString(p).contains("dev.curlab.cli");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of(), offenders);
    }
}
