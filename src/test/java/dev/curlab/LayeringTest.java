package dev.curlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: every package of src/main/java (and src/spark/java) names only
 * packages on a lower floor, read from its code (imports and fully qualified names; comments
 * aside). The floors, lowest first:
 * util; data, model; optim, eval; select, report; run; interop; train, rl; grid, bench, serve; cli;
 * and everything under src/spark (the Spark profile's sources, whatever their package) on top.
 * On one floor only {@code rl -> train} is allowed (the RL loop warm-starts from a pretraining run).
 */
class LayeringTest {
    static final Map<String, Integer> FLOOR = Map.ofEntries(
            Map.entry("util", 0),
            Map.entry("data", 1), Map.entry("model", 1),
            Map.entry("optim", 2), Map.entry("eval", 2),
            Map.entry("select", 3), Map.entry("report", 3),
            Map.entry("run", 4),
            Map.entry("interop", 5),
            Map.entry("train", 6), Map.entry("rl", 6),
            Map.entry("grid", 7), Map.entry("bench", 7), Map.entry("serve", 7),
            Map.entry("cli", 8),
            Map.entry("spark", 9));
    static final Set<String> SAME_FLOOR = Set.of("rl -> train");
    private static final Pattern NAME = Pattern.compile("\\bdev\\.curlab\\.([a-z]+)\\.");

    @Test
    void everyPackageNamesOnlyLowerFloors() throws IOException {
        List<String> offences = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Path root : List.of(Path.of("src/main/java/dev/curlab"), Path.of("src/spark/java/dev/curlab"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String from = root.toString().contains("spark") ? "spark" : root.relativize(f).getName(0).toString();
                    seen.add(from);
                    offences.addAll(offences(from, root.relativize(f).toString(), Files.readAllLines(f)));
                }
            }
        }
        assertTrue(seen.containsAll(Set.of("util", "model", "train", "rl", "run", "grid", "cli")), "sources expected, saw " + seen);
        assertEquals(Set.of(), new TreeSet<>(seen.stream().filter(p -> !FLOOR.containsKey(p)).toList()),
                "packages without a floor: give each new package its floor here");
        assertEquals(List.of(), offences);
    }

    /** A planted upward import is caught, a downward one and a comment are not. */
    @Test
    void theRuleCatchesAnUpwardName() {
        assertEquals(1, offences("train", "train/X.java", List.of("import dev.curlab.cli.Main;")).size());
        assertEquals(1, offences("run", "run/X.java", List.of("    var t = new dev.curlab.train.Trainer();")).size());
        assertEquals(1, offences("train", "train/X.java", List.of("import dev.curlab.rl.RlTrainer;")).size());
        assertEquals(0, offences("rl", "rl/X.java", List.of("import dev.curlab.train.Trainer;")).size());
        assertEquals(0, offences("cli", "cli/X.java", List.of("import dev.curlab.util.UserError;")).size());
        assertEquals(0, offences("run", "run/X.java", List.of(" * {@link dev.curlab.train.Trainer}", "// dev.curlab.cli.Main")).size());
    }

    static List<String> offences(String from, String file, List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
                continue;
            }
            Matcher m = NAME.matcher(line);
            while (m.find()) {
                String to = m.group(1);
                if (to.equals(from) || !FLOOR.containsKey(to)) {
                    continue;
                }
                boolean down = FLOOR.get(to) < FLOOR.get(from) || SAME_FLOOR.contains(from + " -> " + to);
                if (!down) {
                    out.add(file + ":" + (i + 1) + " " + from + " -> " + to);
                }
            }
        }
        return out;
    }
}
