package dev.curlab.cli;

import static dev.curlab.cli.BadInputTest.assertBad;
import static dev.curlab.cli.BadInputTest.run;
import static dev.curlab.cli.BadInputTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.run.CheckpointStore;
import dev.curlab.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk and a read-only file system, on a real tmpfs mounted for the test. Mounting needs
 * root (and a container allowed to mount): where it is not possible the tests are skipped.
 */
class DiskFaultsTest {
    @TempDir
    Path tmp;
    private final List<Path> mounts = new ArrayList<>();

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private Path tmpfs(String name, String size) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()) == 0,
                "cannot mount a tmpfs here (needs root in a container that allows it)");
        mounts.add(dir);
        return dir;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            sh("umount", m.toString());
        }
    }

    private static List<String> args(Path out, int steps) {
        List<String> a = RunFiles.tinyArgs(out, steps);
        a.addAll(List.of("--checkpoint-every", "2", "--eval-every", "4"));
        return a;
    }

    @Test
    void aFullDiskEndsWithOneLineLeavesNoTemporaryCheckpointAndTheRunResumesOnceThereIsSpace() throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, Main.run(args(reference, 12).toArray(String[]::new)));
        Path disk = tmpfs("disk", "3m"); // a checkpoint of this model is 1.4 MB: the third one does not fit
        Path out = disk.resolve("run");
        Path log = tmp.resolve("full.log");
        int code = ChildCli.run(args(out, 12), log);
        String said = Files.readString(log);
        assertEquals(2, code, said);
        List<String> errors = ChildCli.errorLines(log);
        assertEquals(1, errors.size(), said);
        assertTrue(errors.get(0).contains("No space left on device") && errors.get(0).contains("curlab train --resume " + out), errors.get(0));
        assertTrue(said.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), "no stack trace: " + said);
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList());
        }
        List<Path> kept = new CheckpointStore(out).list();
        assertTrue(!kept.isEmpty() && errors.get(0).contains(kept.get(0).toString()), errors.get(0));

        assertEquals(0, sh("mount", "-o", "remount,size=20m", disk.toString()));
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--no-progress"));
        assertEquals(RunFiles.metricsWithoutTimes(reference), RunFiles.metricsWithoutTimes(out));
    }

    @Test
    void aReadOnlyFileSystemGivesOneLineForOutResumeAndReport() throws Exception {
        Path ro = tmpfs("ro", "20m");
        Path run = ro.resolve("run");
        assertEquals(0, Main.run(args(run, 4).toArray(String[]::new)));
        Path empty = Files.createDirectories(ro.resolve("empty"));
        assertEquals(0, sh("mount", "-o", "remount,ro", ro.toString()));
        Map<String, String> before = snapshot(run);
        List<String> over = args(run, 4);
        over.add("--overwrite");
        assertBad(run(over.toArray(String[]::new)), "--out " + run, "Read-only file system");
        assertBad(run(args(empty, 4).toArray(String[]::new)), "--out " + empty, "Read-only file system");
        assertBad(run("train", "--resume", run.toString(), "--no-progress"), "--resume " + run, "Read-only file system");
        assertBad(run("report", run.toString()), "report.html", "Read-only file system", "--out FILE");
        assertEquals(before, snapshot(run));
    }
}
