package dev.curlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What curlab counts as its own in a run or grid directory, and what it keeps as the user's. */
class CurlabFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aRunsOwnFilesAreItsAndAUsersAreKept() throws Exception {
        for (String f : List.of("config.json", "metrics.jsonl", "events.out.tfevents.1765152000.vm", "machine.json",
                "task-curves.csv", "checkpoints/step-00000004/state.json", "cells/random-seed0.log", "notes.txt",
                "mine/NOTES.md", "events.txt")) {
            Path p = tmp.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "x");
        }
        assertEquals(List.of(Path.of("events.txt"), Path.of("mine/NOTES.md"), Path.of("notes.txt")), CurlabFiles.others(tmp));
        assertEquals(List.of(Path.of("events.txt"), Path.of("mine/NOTES.md"), Path.of("notes.txt")), CurlabFiles.deleteWritten(tmp));
        assertFalse(Files.exists(tmp.resolve("events.out.tfevents.1765152000.vm")));
        assertFalse(Files.exists(tmp.resolve("checkpoints")));
        assertTrue(Files.exists(tmp.resolve("notes.txt")));
    }
}
