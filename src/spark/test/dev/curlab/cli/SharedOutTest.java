package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.curlab.spark.SharedOut;
import dev.curlab.spark.SparkCells;
import dev.curlab.spark.SparkCompare;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curlab-spark's --out checks: which paths a non-local master refuses, with one line and exit 2, before anything is written. */
class SharedOutTest {
    static final String MOUNTS = """
            /dev/sda1 / ext4 rw,relatime 0 0
            tmpfs /tmp tmpfs rw 0 0
            nas:/export/runs /shared nfs4 rw,vers=4.2 0 0
            /dev/sdb1 /shared/scratch xfs rw 0 0
            lustre@tcp:/fs /mnt/my\\040lustre lustre rw 0 0
            """;

    @TempDir
    Path tmp;

    @Test
    void theLongestMountPointHoldingThePathGivesItsFileSystem() {
        assertEquals("ext4", SharedOut.fileSystem(Path.of("/home/u/runs"), MOUNTS));
        assertEquals("nfs4", SharedOut.fileSystem(Path.of("/shared/runs/grid"), MOUNTS));
        assertEquals("nfs4", SharedOut.fileSystem(Path.of("/shared"), MOUNTS));
        assertEquals("xfs", SharedOut.fileSystem(Path.of("/shared/scratch/g"), MOUNTS));
        assertEquals("nfs4", SharedOut.fileSystem(Path.of("/shared/scratchy"), MOUNTS));   // a prefix of a name is no mount point
        assertEquals("lustre", SharedOut.fileSystem(Path.of("/mnt/my lustre/g"), MOUNTS));
        assertEquals("tmpfs", SharedOut.fileSystem(Path.of("/tmp/x"), MOUNTS));
        assertNull(SharedOut.fileSystem(Path.of("/x"), "nas:/e /shared nfs rw 0 0\n"));
    }

    @Test
    void localMastersTakeAnyPathAndOthersRefuseUrisRelativeAndLocalDiskPaths() {
        assertTrue(SharedOut.localMaster("local") && SharedOut.localMaster("local[2]") && SharedOut.localMaster("local[2,3]"));
        assertFalse(SharedOut.localMaster("yarn") || SharedOut.localMaster("spark://h:7077") || SharedOut.localMaster("k8s://https://h"));
        SharedOut.require("local[2]", "runs/grid", false);
        SharedOut.require("yarn", "runs/grid", true);                                         // spark.curlab.sharedOut=true
        String uri = assertThrows(UserError.class, () -> SharedOut.require("yarn", "hdfs://nn/runs", false)).getMessage();
        assertTrue(uri.startsWith("--out hdfs://nn/runs: curlab-spark writes run directories with plain file I/O"), uri);
        String rel = assertThrows(UserError.class, () -> SharedOut.require("spark://h:7077", "runs/grid", false)).getMessage();
        assertTrue(rel.contains("on master spark://h:7077 give an absolute path mounted on every node"), rel);
    }

    @Test
    void aNonLocalMasterRefusesALocalDiskOutWithOneLineAndWritesNothing() throws Exception {
        String type = SharedOut.fileSystem(SharedOut.existingAncestor(tmp), Files.readString(Path.of("/proc/mounts")));
        org.junit.jupiter.api.Assumptions.assumeTrue(type != null && SharedOut.LOCAL.contains(type), "the temp dir is on " + type);
        Path out = tmp.resolve("grid");
        String[] grid = SparkCompareTest.sparkGrid(out);
        String err = CompareCommandTest.stderrOf(() -> assertEquals(2, SparkCompare.run(SparkCompareTest.conf("yarn"), grid)));
        assertEquals("curlab: error: --out " + out + " is on a local " + type + " file system of this machine, but master yarn runs "
                + "cells on other machines: give a path mounted on every node (NFS, Lustre, CephFS, ...), or --conf "
                + "spark.curlab.sharedOut=true if it is shared all the same", errors(err));
        assertFalse(Files.exists(out));
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, SparkCompare.run(new SparkConf(false), grid)));
        assertTrue(errors(err).startsWith("curlab: error: no Spark master: submit with spark-submit --master URL"), err);
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, SparkCompare.run(SparkCompareTest.conf("local[2]"),
                SparkCompareTest.sparkGrid(out, "--overwrite"))));
        assertTrue(errors(err).startsWith("curlab: error: --overwrite: a retried Spark task must resume its cell"), err);
        err = CompareCommandTest.stderrOf(() -> assertEquals(2, SparkCompare.run(SparkCompareTest.conf("local[2]"),
                SparkCompareTest.sparkGrid(out, "--jobs", "2"))));
        assertTrue(errors(err).startsWith("curlab: error: --jobs: Spark runs the cells"), err);
        assertFalse(Files.exists(out));
    }

    /** curlab's error lines (SLF4J may warn on stderr as Spark's classes load first): exactly one is expected. */
    static String errors(String stderr) {
        var lines = stderr.lines().filter(l -> l.startsWith("curlab: error: ")).toList();
        assertEquals(1, lines.size(), stderr);
        return lines.get(0);
    }
}
