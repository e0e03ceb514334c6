package dev.curlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process from /proc (Linux); NaN elsewhere. */
public final class ResidentMemory {
    private ResidentMemory() {
    }

    /** Current resident memory in MB (VmRSS). */
    public static double currentMb() {
        return field("VmRSS:");
    }

    /** Peak resident memory in MB so far (VmHWM). */
    public static double peakMb() {
        return field("VmHWM:");
    }

    /** Java heap committed by the JVM, in MB (part of the resident memory). */
    public static double heapCommittedMb() {
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
