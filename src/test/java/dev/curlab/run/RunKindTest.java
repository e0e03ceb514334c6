package dev.curlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run directory hands out its config typed by its kind; a run of another kind is a one-line error that says what to do. */
class RunKindTest {
    record Pretrain(String selector, int steps) {
    }

    record Rl(String tasks, int steps) {
    }

    static final RunKind<Pretrain> PRETRAIN = new RunKind<>("a pretraining run", Pretrain.class, "selector", "resume it with curlab rl --resume");
    static final RunKind<Rl> RL = new RunKind<>("an RL run", Rl.class, "tasks", "resume it with curlab train --resume");

    @TempDir
    Path tmp;

    private Path run(String configJson) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("config.json"), "{\"config\": " + configJson + ", \"resolved\": {}}");
        return dir;
    }

    @Test
    void theConfigComesBackTypedByItsKind() throws IOException {
        Path dir = run("{\"selector\": \"soft-q\", \"steps\": 7}");
        assertEquals(new Pretrain("soft-q", 7), RunDirectory.savedConfig(dir, PRETRAIN));
    }

    @Test
    void aRunOfAnotherKindIsRefusedWithTheCommandThatResumesIt() throws IOException {
        Path dir = run("{\"tasks\": \"builtin:arith\", \"steps\": 7}");
        UserError e = assertThrows(UserError.class, () -> RunDirectory.savedConfig(dir, PRETRAIN));
        assertEquals("--resume " + dir + ": not a pretraining run (resume it with curlab rl --resume)", e.getMessage());
        UserError f = assertThrows(UserError.class, () -> RunDirectory.open(dir, PRETRAIN));   // before any lock is taken
        assertEquals(e.getMessage(), f.getMessage());
        assertEquals(new Rl("builtin:arith", 7), RunDirectory.savedConfig(dir, RL));
    }

    @Test
    void noRunAndAnUnreadableConfigAreOneLineErrors() throws IOException {
        Path none = tmp.resolve("none");
        assertEquals("--resume " + none + ": no curlab run there (config.json not found)",
                assertThrows(UserError.class, () -> RunDirectory.savedConfig(none, RL)).getMessage());
        Path dir = run("{\"tasks\": \"x\", \"steps\": \"many\"}");
        String msg = assertThrows(UserError.class, () -> RunDirectory.savedConfig(dir, RL)).getMessage();
        assertEquals(true, msg.startsWith("--resume " + dir + ": config.json is unreadable (") && !msg.contains("\n"), msg);
    }
}
