package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child process run from an empty working directory: a rho-loss run writes its run under
 * --out and its IL model under $XDG_CACHE_HOME/curlab, and nothing else in the working directory.
 */
class OutputPlacesTest {
    @TempDir
    Path tmp;

    @Test
    void aRunWritesOnlyUnderOutAndTheUserCache() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path cache = Files.createDirectories(tmp.resolve("xdg-cache"));
        Path out = work.resolve("run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(RunFiles.tinyArgs(out, 2));
        cmd.addAll(List.of("--selector", "rho-loss", "--il-steps", "2"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("log").toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("log")));

        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of(out), s.toList(), "the working directory holds only --out");
        }
        Path il = cache.resolve("curlab/il-models");
        try (Stream<Path> s = Files.list(il)) {
            List<Path> files = s.toList();
            assertEquals(1, files.size(), files.toString());
            assertTrue(files.get(0).toString().endsWith(".safetensors"), files.toString());
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals(il.toString(), config.at("/config/selectorSettings/baselines/ilCache").asText(),
                "config.json records where the IL model was cached");
    }
}
