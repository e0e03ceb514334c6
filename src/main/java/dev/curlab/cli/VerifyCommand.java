package dev.curlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.curlab.eval.ReferenceCheck;
import dev.curlab.report.MetricsFile;
import dev.curlab.run.StopSignal;
import dev.curlab.train.TrainConfig;
import dev.curlab.train.Trainer;
import dev.curlab.run.RunListener;
import dev.curlab.util.Directories;
import dev.curlab.util.MachineInfo;
import dev.curlab.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code curlab verify}: a golden run (nano, 40 steps, random selector, seed 0; a few seconds) whose
 * eval losses are checked against reference values stored per CPU family and thread count
 * ({@link ReferenceCheck}). Exit 0 when they match (bit for bit, or within the tolerance), 1 when not.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check this build and machine against curlab's reference numbers with a short golden run (seconds).")
final class VerifyCommand implements Callable<Integer> {
    static final String BUNDLED = "/dev/curlab/verify/reference.json";
    static final double TOLERANCE = 1e-3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--reference", paramLabel = "FILE", description = "Reference values to check against (default: the ones bundled with curlab).")
    Path reference;

    @Option(names = "--write-reference", paramLabel = "FILE",
            description = "Record this machine's values in FILE (added to, or replacing, its family and thread count's entry) instead of checking.")
    Path writeReference;

    @Option(names = "--tolerance", paramLabel = "NATS", description = "Largest eval-loss difference that still passes (default: ${DEFAULT-VALUE}).")
    double tolerance = TOLERANCE;

    /** The golden run: builtin data, the nano model, short windows, random selection, seed 0. */
    static TrainConfig golden() {
        return TrainConfig.builder().data("builtin:mixture").model("nano").context(32)
                .steps(40).candidates(4).heldoutBatch(4).heldoutWindows(32).evalWindows(16).evalEvery(10)
                .selector("random").seed(0).checkpointEvery(0).build();
    }

    @Override
    public Integer call() throws IOException {
        UserError.require(tolerance >= 0 && Double.isFinite(tolerance), "--tolerance must be a number >= 0, got " + tolerance);
        UserError.require(reference == null || writeReference == null, "--reference and --write-reference: give one of them, not both");
        List<ReferenceCheck.Reference> refs = writeReference != null ? (Files.exists(writeReference) ? read(writeReference) : List.of())
                : reference != null ? read(reference) : bundled();
        MachineInfo m = MachineInfo.current();
        System.out.println("curlab verify: golden run (nano, T 32, N = M = 4, 40 steps, random, seed 0) on " + m.describe());
        double[] observed = goldenRun();
        System.out.println("eval losses: " + Arrays.toString(observed));
        if (writeReference != null) {
            List<ReferenceCheck.Reference> out = new ArrayList<>(refs);
            out.removeIf(r -> r.family().equals(m.family()) && r.threads() == m.threads());
            String cpu = m.cpuModel() + (m.atenCapability().isEmpty() ? "" : ", ATEN_CPU_CAPABILITY=" + m.atenCapability());
            out.add(new ReferenceCheck.Reference(m.family(), m.threads(), cpu, Arrays.stream(observed).boxed().toList()));
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("run", "curlab verify's golden run: " + describe(golden()));
            root.put("references", out);
            JSON.writeValue(writeReference.toFile(), root);
            System.out.println("reference values for " + m.family() + " with " + m.threads() + " thread(s) written to " + writeReference);
            return 0;
        }
        ReferenceCheck.Verdict v = ReferenceCheck.check(refs, m.family(), m.threads(), observed, tolerance);
        System.out.println((v.passed() ? "ok: " : "FAILED: ") + v.message());
        return v.passed() ? 0 : 1;
    }

    /** Runs the golden configuration in a temporary directory and returns its eval losses. */
    static double[] goldenRun() throws IOException {
        Path dir = Files.createTempDirectory("curlab-verify");
        try (Trainer t = Trainer.start(golden(), dir.resolve("run"), true, RunListener.SILENT, StopSignal.none())) {
            t.run();
            return MetricsFile.column(MetricsFile.read(dir.resolve("run").resolve("metrics.jsonl")).evals(), "eval_loss");
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    static List<ReferenceCheck.Reference> read(Path file) {
        try {
            return parse(JSON.readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new UserError("--reference " + file + ": unreadable (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    static List<ReferenceCheck.Reference> bundled() {
        try (InputStream in = VerifyCommand.class.getResourceAsStream(BUNDLED)) {
            return parse(JSON.readTree(in), BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ReferenceCheck.Reference> parse(com.fasterxml.jackson.databind.JsonNode root, String where) {
        List<ReferenceCheck.Reference> out = new ArrayList<>();
        var refs = root.get("references");
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            throw new UserError("--reference " + where + ": expected an object with a non-empty \"references\" array");
        }
        try {
            for (var r : refs) {
                out.add(JSON.treeToValue(r, ReferenceCheck.Reference.class));
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError("--reference " + where + ": a reference needs family, threads, cpu and evalLoss ("
                    + e.getMessage().split("\n")[0] + ")");
        }
        return out;
    }

    private static String describe(TrainConfig c) {
        return String.format(Locale.ROOT, "%s, %s, T %d, N %d, M %d, %d steps, eval every %d on %d windows, %s, seed %d",
                c.data(), c.model(), c.context(), c.candidates(), c.heldoutBatch(), c.steps(), c.evalEvery(), c.evalWindows(),
                c.selector(), c.seed());
    }
}
