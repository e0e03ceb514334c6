package dev.curlab.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU a run's numbers came from: its model name and whether it has AVX2 and AVX-512 (the math
 * kernels PyTorch picks differ between them, and so do the last bits of a run), and the PyTorch
 * thread count. Read from /proc/cpuinfo; "unknown" where that file is absent.
 *
 * @param cpuModel the first "model name" of /proc/cpuinfo
 * @param avx2     the "avx2" flag
 * @param avx512f  the "avx512f" flag
 * @param threads  PyTorch intra-op threads (ai.djl.pytorch.num_threads, else the number of cores)
 * @param atenCapability the ATEN_CPU_CAPABILITY environment variable ("" when unset): it caps the
 *                 vectorised kernels PyTorch picks, e.g. avx2 on an AVX-512 machine gives an AVX2 machine's numbers
 */
public record MachineInfo(String cpuModel, boolean avx2, boolean avx512f, int threads, String atenCapability) {

    /** This machine, with the thread count this JVM's PyTorch uses. */
    public static MachineInfo current() {
        return current(pytorchThreads());
    }

    /** This machine, with {@code threads} PyTorch threads. */
    public static MachineInfo current(int threads) {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")), threads, envAtenCapability());
        } catch (IOException | RuntimeException e) {
            return new MachineInfo("unknown", false, false, threads, envAtenCapability());
        }
    }

    /** The PyTorch intra-op thread count of this JVM: ai.djl.pytorch.num_threads, else the number of cores. */
    public static int pytorchThreads() {
        return Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    }

    /** ATEN_CPU_CAPABILITY, lower case; "" when unset. */
    static String envAtenCapability() {
        String v = System.getenv("ATEN_CPU_CAPABILITY");
        return v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the text of /proc/cpuinfo (the first processor's model name and flags). */
    public static MachineInfo parse(String cpuinfo, int threads, String atenCapability) {
        String model = "unknown";
        List<String> flags = List.of();
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("model name") && model.equals("unknown")) {
                model = value;
            } else if (key.equals("flags") && flags.isEmpty()) {
                flags = Arrays.asList(value.split("\\s+"));
            }
        }
        return new MachineInfo(model, flags.contains("avx2"), flags.contains("avx512f"), threads, atenCapability);
    }

    /**
     * The kernel family for reference values: "avx512" (has avx512f), "avx2", or "other"; capped by
     * ATEN_CPU_CAPABILITY when that is set (avx2 on an AVX-512 machine is "avx2").
     */
    public String family() {
        String cpu = avx512f ? "avx512" : avx2 ? "avx2" : "other";
        if (atenCapability.isEmpty()) {
            return cpu;
        }
        String capped = atenCapability.startsWith("avx512") ? "avx512" : atenCapability.equals("avx2") ? "avx2" : "other";
        return capped.equals("avx512") && !cpu.equals("avx512") || capped.equals("avx2") && cpu.equals("other") ? cpu : capped;
    }

    /** One line, e.g. "AMD EPYC (avx2, avx512f), 1 PyTorch thread". */
    public String describe() {
        String isa = avx512f ? "avx2, avx512f" : avx2 ? "avx2, no avx512f" : "no avx2, no avx512f";
        return cpuModel + " (" + isa + (atenCapability.isEmpty() ? "" : ", ATEN_CPU_CAPABILITY=" + atenCapability) + "), "
                + threads + " PyTorch thread" + (threads == 1 ? "" : "s");
    }
}
