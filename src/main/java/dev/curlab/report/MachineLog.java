package dev.curlab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.util.MachineInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code OUT/machine.json} of a compare directory: every machine (CPU model, AVX2/AVX-512, PyTorch
 * threads per run) that ran cells of the grid, in the order they first did. Final losses depend on
 * the CPU's math kernels, so a published table says which machine it came from.
 */
public final class MachineLog {
    static final String FILE = "machine.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MachineLog() {
    }

    /** Adds {@code m} to the log in {@code out} unless it is there already. */
    public static void record(Path out, MachineInfo m) {
        List<MachineInfo> all = new ArrayList<>(read(out));
        if (all.contains(m)) {
            return;
        }
        all.add(m);
        try {
            Files.createDirectories(out);
            JSON.writeValue(out.resolve(FILE).toFile(), Map.of("machines", all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE), e);
        }
    }

    /** The machines recorded in {@code out}; empty when there is no (readable) log. */
    public static List<MachineInfo> read(Path out) {
        Path f = out.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return List.of();
        }
        try {
            var node = JSON.readTree(f.toFile()).get("machines");
            List<MachineInfo> list = new ArrayList<>();
            for (var m : node) {
                list.add(JSON.treeToValue(m, MachineInfo.class));
            }
            return list;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Markdown: the machine(s) the grid ran on. */
    public static String markdown(List<MachineInfo> machines) {
        if (machines.isEmpty()) {
            return "Machine: not recorded (runs made before machine.json, or not by compare).\n";
        }
        StringBuilder sb = new StringBuilder(machines.size() == 1 ? "Machine: " : "Machines (the grid ran on several; final losses may differ "
                + "between CPU families): ");
        List<String> d = machines.stream().map(MachineInfo::describe).toList();
        return sb.append(String.join("; ", d)).append(". Final losses depend on the CPU's math kernels (AVX2 vs AVX-512) and the "
                + "thread count; `curlab verify` checks this build against reference values.\n").toString();
    }
}
