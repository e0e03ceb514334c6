package dev.curlab.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.report.RunData;
import dev.curlab.run.CheckpointStore;
import dev.curlab.train.MemoryBudget;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** A pretraining cell of {@code compare} (and of the demo's and warm starts' one-run grids): one selector at one seed. */
public record TrainCell(TrainConfig config) implements Cell {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The cell of {@code selector} at {@code seed} with the grid's shared settings {@code base}. */
    public static TrainCell of(TrainConfig base, String selector, long seed) {
        return new TrainCell(base.toBuilder().selector(selector).seed(seed).build());
    }

    @Override
    public String arm() {
        return config.selector();
    }

    @Override
    public long seed() {
        return config.seed();
    }

    @Override
    public String kind() {
        return "train";
    }

    @Override
    public Map<String, Object> settings() {
        return CellFolders.asMap(config);
    }

    @Override
    public Map<String, Object> recorded(Path dir) {
        return CellFolders.savedSection(dir);
    }

    @Override
    public Set<String> continuable() {
        return Set.of();
    }

    @Override
    public long steps() {
        return config.steps();
    }

    /** The steps the run recorded (under --budget-flops: what its budget affords). */
    @Override
    public long finalStep(Path dir) {
        return RunData.load(dir).steps();
    }

    @Override
    public void requireFits() {
        MemoryBudget.require(config);
    }

    @Override
    public Outcome run(Path dir, boolean overwrite, Listeners listeners, StopSignal stop) {
        try (Trainer trainer = open(dir, config, overwrite, listeners.listener(this), stop)) {
            Trainer.Result r = trainer.run();
            return new Outcome(r.steps(), r.stopped());
        }
    }

    /** Resumes the run in {@code dir} from its newest checkpoint, or starts it (afresh with {@code overwrite}). */
    static Trainer open(Path dir, TrainConfig cfg, boolean overwrite, RunListener listener, StopSignal stop) {
        if (!overwrite && Files.isRegularFile(dir.resolve("config.json")) && !new CheckpointStore(dir).list().isEmpty()) {
            try {
                return Trainer.resume(dir, listener, stop);
            } catch (UserError e) {
                listener.warning(dir + ": cannot resume (" + e.getMessage() + "); starting the run again");
            }
        }
        return Trainer.start(cfg, dir, true, listener, stop);
    }

    /** The TrainConfig a cell process was handed. */
    static TrainConfig read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), TrainConfig.class);
    }
}
