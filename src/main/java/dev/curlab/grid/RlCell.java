package dev.curlab.grid;

import dev.curlab.rl.RlConfig;
import dev.curlab.rl.RlMemory;
import dev.curlab.rl.RlRuns;
import dev.curlab.rl.RlTrainer;
import dev.curlab.run.CheckpointStore;
import dev.curlab.run.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** An RL cell of {@code rl-compare} (and of the demo's RL part): one curator at one seed. */
public record RlCell(RlConfig config) implements Cell {
    @Override
    public String arm() {
        return config.curator();
    }

    @Override
    public long seed() {
        return config.seed();
    }

    @Override
    public String kind() {
        return "rl";
    }

    @Override
    public Map<String, Object> settings() {
        return CellFolders.asMap(config);
    }

    /** The saved RlConfig, read as RlConfig (settings added since take their defaults). */
    @Override
    public Map<String, Object> recorded(Path dir) {
        return CellFolders.asMap(RlRuns.savedConfig(dir));
    }

    /** A folder with fewer steps is continued. */
    @Override
    public Set<String> continuable() {
        return Set.of("steps");
    }

    @Override
    public long steps() {
        return config.steps();
    }

    @Override
    public long finalStep(Path dir) {
        return config.steps();
    }

    @Override
    public void requireFits() {
        RlMemory.require(config, RlMemory.shapeOf(config));
    }

    @Override
    public Outcome run(Path dir, boolean overwrite, Listeners listeners, StopSignal stop) {
        boolean resume = !overwrite && !new CheckpointStore(dir).list().isEmpty();
        try (RlTrainer t = resume ? RlRuns.resume(dir, config.steps(), listeners.listener(this), stop)
                : RlRuns.start(config, dir, overwrite || Files.exists(dir.resolve("config.json")), listeners.listener(this), stop)) {
            RlTrainer.Result r = t.run();
            return new Outcome(r.steps(), r.stopped());
        }
    }
}
