package dev.curlab.spark;

import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The check that {@code curlab-spark}'s {@code --out} can be seen by every executor: the cells write
 * their run directories with plain file I/O, so {@code --out} must be a POSIX path mounted on every
 * node (NFS, Lustre, CephFS, GPFS, a FUSE mount of an object store, ...). On a non-local master a URI
 * ({@code hdfs://}, {@code s3a://}), a relative path, or a path on a local file system of the driver
 * (ext4, xfs, tmpfs, ... in /proc/mounts) is refused, unless {@code spark.curlab.sharedOut=true} says
 * that it is shared all the same (say, a one-machine standalone cluster).
 */
public final class SharedOut {
    /** File systems that live on one machine. */
    public static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "tmpfs",
            "ramfs", "overlay", "aufs", "vfat", "exfat", "ntfs", "ntfs3", "hfsplus", "apfs", "devtmpfs");
    private static final Pattern URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

    private SharedOut() {
    }

    /** Whether {@code master} runs every task in the driver's JVM ({@code local}, {@code local[N]}, {@code local[N,F]}). */
    public static boolean localMaster(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** Refuses {@code out} when {@code master} is not local and {@code out} is not known to be shared. */
    public static void require(String master, String out, boolean declaredShared) {
        if (localMaster(master) || declaredShared) {
            return;
        }
        if (URI.matcher(out).matches()) {
            throw new UserError("--out " + out + ": curlab-spark writes run directories with plain file I/O, so --out must be "
                    + "a POSIX path mounted on every node (NFS, Lustre, CephFS, ...), not a URI");
        }
        Path p = Path.of(out);
        if (!p.isAbsolute()) {
            throw new UserError("--out " + out + ": on master " + master + " give an absolute path mounted on every node "
                    + "(a relative one names another directory on each executor)");
        }
        String mounts;
        try {
            mounts = Files.readString(Path.of("/proc/mounts"));
        } catch (IOException e) {
            return;                                                       // no mount table to read: trust the user
        }
        String type = fileSystem(existingAncestor(p), mounts);
        if (type != null && LOCAL.contains(type)) {
            throw new UserError("--out " + out + " is on a local " + type + " file system of this machine, but master " + master
                    + " runs cells on other machines: give a path mounted on every node (NFS, Lustre, CephFS, ...), or "
                    + "--conf spark.curlab.sharedOut=true if it is shared all the same");
        }
    }

    /** The nearest existing directory at or above {@code p}, symbolic links resolved. */
    public static Path existingAncestor(Path p) {
        for (Path q = p.toAbsolutePath().normalize(); q != null; q = q.getParent()) {
            if (Files.exists(q)) {
                try {
                    return q.toRealPath();
                } catch (IOException e) {
                    return q;
                }
            }
        }
        return p.getRoot();
    }

    /**
     * The file system type of the mount (the longest mount point, later mounts winning ties) that
     * holds {@code p}, from the text of /proc/mounts; null when none does.
     */
    public static String fileSystem(Path p, String mounts) {
        String best = null;
        int bestLength = -1;
        for (String line : mounts.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            String point = unescape(f[1]);
            boolean holds = point.equals("/") || p.toString().equals(point) || p.toString().startsWith(point + "/");
            if (holds && point.length() >= bestLength) {
                best = f[2];
                bestLength = point.length();
            }
        }
        return best;
    }

    /** Mount points in /proc/mounts write a space, tab, newline or backslash as a 3-digit octal escape. */
    public static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
