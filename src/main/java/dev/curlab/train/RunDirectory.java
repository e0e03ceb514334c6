package dev.curlab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.util.Directories;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A run's directory: {@code config.json} (every resolved setting), {@code metrics.jsonl},
 * {@code train.log} (the human log), {@code checkpoints/} and {@code report.html}.
 * A directory that already holds a run is never written over unless the user says so.
 */
public final class RunDirectory {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Path dir;
    private final TrainConfig config;
    private final boolean fresh;

    private RunDirectory(Path dir, TrainConfig config, boolean fresh) {
        this.dir = dir;
        this.config = config;
        this.fresh = fresh;
    }

    /**
     * Plans a new run in {@code dir} without touching the disk: refuses a directory that holds
     * another run unless {@code overwrite}, and a non-empty directory that is not a curlab run in any
     * case. Nothing is deleted or created until {@link #materialize()}, which the trainer calls only
     * after every option and data file has been checked.
     */
    public static RunDirectory create(Path dir, TrainConfig config, boolean overwrite) {
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UserError("--out " + dir + " is a file, expected a directory");
            }
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                if (!Files.exists(dir.resolve("config.json"))) {
                    throw new UserError("--out " + dir + " is not empty and holds no curlab run; choose another directory");
                }
                if (!overwrite) {
                    throw new UserError("--out " + dir + " already holds a run; use --resume " + dir
                            + " to continue it or --overwrite to replace it");
                }
            }
            return new RunDirectory(dir, config, true);
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot read the directory (" + e.getMessage() + ")");
        }
    }

    /** Creates the directory of a planned new run, replacing the run that was there (if allowed). */
    public void materialize() {
        if (!fresh) {
            return;
        }
        try {
            if (Files.isDirectory(dir) && !isEmpty(dir)) {
                Directories.deleteRecursively(dir);
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("--out " + dir + ": cannot create the run directory (" + e.getMessage() + ")");
        }
    }

    /** Opens an existing run to resume it. */
    public static RunDirectory open(Path dir) {
        Path cfg = dir.resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new UserError("--resume " + dir + ": no curlab run there (config.json not found)");
        }
        try {
            Map<?, ?> root = JSON.readValue(cfg.toFile(), Map.class);
            TrainConfig config = JSON.convertValue(root.get("config"), TrainConfig.class);
            return new RunDirectory(dir, config, false);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError("--resume " + dir + ": config.json is unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    public Path dir() {
        return dir;
    }

    public TrainConfig config() {
        return config;
    }

    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    public Path logFile() {
        return dir.resolve("train.log");
    }

    public Path reportFile() {
        return dir.resolve("report.html");
    }

    /** Writes config.json: the config record and what was resolved from it (vocab, model shape...). */
    public void writeConfig(Map<String, Object> resolved) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config);
        root.put("resolved", resolved);
        try {
            Path tmp = dir.resolve("config.json.tmp");
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, dir.resolve("config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config.json in " + dir, e);
        }
    }

    /** Appends a timestamped line to train.log. */
    public void log(String line) {
        try {
            Files.writeString(logFile(), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + logFile(), e);
        }
    }
}
