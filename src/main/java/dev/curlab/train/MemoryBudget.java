package dev.curlab.train;

import dev.curlab.data.DataSpecs;
import dev.curlab.model.GptConfig;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Refuses, before anything is allocated or written, a configuration whose {@link MemoryEstimate} does
 * not fit in the Java heap (Runtime.maxMemory, set by -Xmx) or in the memory this process can have:
 * MemAvailable from /proc/meminfo plus what the process already holds, capped by MemTotal and a cgroup
 * limit. The message says what was estimated, what is available and the largest N or T that would fit.
 * {@code CURLAB_MEMORY_CHECK=off} skips the check (the estimate is an upper bound, not a measurement).
 */
public final class MemoryBudget {

    /**
     * What this process may use.
     *
     * @param heap      the most the Java heap may grow to (bytes)
     * @param physical  the most resident memory the process can have now (bytes)
     * @param described how {@code physical} was found, for the message
     */
    public record Limits(double heap, double physical, String described) {

        /** This JVM's heap cap and this machine's (or container's) memory. */
        public static Limits current() {
            long total = meminfo("MemTotal");
            long available = meminfo("MemAvailable");
            long own = ownResident();
            long cgroup = cgroupLimit();
            double physical = Double.POSITIVE_INFINITY;
            StringBuilder what = new StringBuilder();
            if (available > 0) {
                physical = available + (double) own;
                what.append("MemAvailable ").append(gb(available)).append(" + ").append(gb(own)).append(" this process");
            }
            if (total > 0 && total < physical) {
                physical = total;
                what.setLength(0);
                what.append("MemTotal ").append(gb(total));
            } else if (total > 0) {
                what.append(", of MemTotal ").append(gb(total));
            }
            if (cgroup > 0 && cgroup < physical) {
                physical = cgroup;
                what.setLength(0);
                what.append("cgroup memory limit ").append(gb(cgroup));
            }
            return new Limits(Runtime.getRuntime().maxMemory(), physical, what.toString());
        }
    }

    private MemoryBudget() {
    }

    /** Checks {@code cfg} with the vocabulary of its tokenizer (bench, compare: before any run starts). */
    public static void require(TrainConfig cfg) {
        int vocab = DataSpecs.tokenizerFor(cfg.data(), cfg.tokenizer()).vocabSize();
        require(cfg, GptConfig.preset(cfg.model(), cfg.context(), vocab));
    }

    /** Checks {@code cfg} with a model of {@code shape}; throws a one-line {@link UserError} when it cannot fit. */
    public static void require(TrainConfig cfg, GptConfig shape) {
        if ("off".equalsIgnoreCase(System.getenv("CURLAB_MEMORY_CHECK"))) {
            return;
        }
        String problem = problem(cfg, shape, Limits.current());
        if (problem != null) {
            throw new UserError(problem);
        }
    }

    /** The one-line refusal for {@code cfg} under {@code limits}, or null when it fits. */
    static String problem(TrainConfig cfg, GptConfig shape, Limits limits) {
        MemoryEstimate e = MemoryEstimate.of(cfg, shape);
        boolean memoryShort = e.totalBytes() > limits.physical();
        boolean heapShort = !memoryShort && e.heapBytes() > limits.heap(); // a larger -Xmx helps only if memory suffices
        if (!heapShort && !memoryShort) {
            return null;
        }
        StringBuilder msg = new StringBuilder();
        if (heapShort) {
            msg.append("this run needs about ").append(gb(e.heapBytes())).append(" of Java heap (estimated").append(largestOf(e, true))
                    .append("), but the heap may only grow to ").append(gb(limits.heap()))
                    .append(" (raise it with CURLAB_JAVA_OPTS=-Xmx...)");
        } else {
            MemoryEstimate.Part top = e.largest();
            msg.append("this run needs about ").append(gb(e.totalBytes())).append(" of memory (estimated; largest part: ")
                    .append(top.name()).append(" ").append(gb(top.bytes()))
                    .append("), but ").append(gb(limits.physical())).append(" is available (").append(limits.described()).append(")");
        }
        msg.append("; ").append(whatFits(cfg, shape, limits));
        return msg.toString();
    }

    private static String largestOf(MemoryEstimate e, boolean heap) {
        MemoryEstimate.Part best = null;
        for (MemoryEstimate.Part p : e.parts()) {
            if (p.heap() == heap && (best == null || p.bytes() > best.bytes())) {
                best = p;
            }
        }
        return best == null ? "" : "; largest part: " + best.name() + " " + gb(best.bytes());
    }

    /** The largest N, and the largest T, that would fit with everything else unchanged. */
    static String whatFits(TrainConfig cfg, GptConfig shape, Limits limits) {
        int n = largest(cfg.candidates(), k -> MemoryEstimate.of(cfg, shape, k), limits);
        int t = largest(cfg.context(), k -> MemoryEstimate.of(cfg, new GptConfig(shape.preset(), shape.layers(), shape.dModel(),
                shape.heads(), Math.max(2, k), shape.vocab()), cfg.candidates()), limits);
        List<String> fits = new java.util.ArrayList<>();
        if (n >= 1) {
            fits.add("-N " + n);
        }
        if (t >= 2) {
            fits.add("--context " + t);
        }
        return fits.isEmpty() ? "no smaller -N or --context fits: use a smaller --model or more memory"
                : String.join(" or ", fits) + " would fit";
    }

    /** The largest k in [1, upTo) whose estimate fits (estimates grow with k), or 0 when none does. */
    private static int largest(int upTo, IntFunction<MemoryEstimate> at, Limits limits) {
        int lo = 0;
        int hi = upTo; // invariant: lo fits (or is 0), hi does not
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (fits(at.apply(mid), limits)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean fits(MemoryEstimate e, Limits limits) {
        return e.heapBytes() <= limits.heap() && e.totalBytes() <= limits.physical();
    }

    static String gb(double bytes) {
        return bytes >= 1e12 ? String.format(Locale.ROOT, "%.1f TB", bytes / 1e12)
                : bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    // ----------------------------------------------------------------------------------------------
    // Reading the limits
    // ----------------------------------------------------------------------------------------------

    /** A field of /proc/meminfo in bytes, or -1. */
    static long meminfo(String field) {
        return kbField(Path.of("/proc/meminfo"), field);
    }

    private static long ownResident() {
        return Math.max(0, kbField(Path.of("/proc/self/status"), "VmRSS"));
    }

    private static long kbField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or an unexpected format: no limit from this file
        }
        return -1;
    }

    /** The memory limit of this process's cgroup (v2 memory.max or v1 memory.limit_in_bytes), or -1 for none. */
    static long cgroupLimit() {
        for (Path p : List.of(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"))) {
            try {
                String v = Files.readString(p).trim();
                if (v.equals("max")) {
                    return -1;
                }
                long limit = Long.parseLong(v);
                return limit >= (1L << 60) ? -1 : limit; // v1 writes a huge number for "no limit"
            } catch (IOException | NumberFormatException e) {
                // try the next layout
            }
        }
        return -1;
    }
}
