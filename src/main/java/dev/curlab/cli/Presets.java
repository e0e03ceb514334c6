package dev.curlab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** How {@code compare --preset} and {@code rl-compare --preset} fill in a named grid: options given on the command line win. */
final class Presets {
    private Presets() {
    }

    /**
     * Parses {@code presetArgs} (with {@code --out OUT}, which such commands require) into {@code fresh}, a new
     * instance of the command, and sets on {@code spec} every option of the preset that {@code given} does not
     * report as given. Returns the preset's options that the command line overrode.
     */
    static List<String> apply(CommandSpec spec, Object fresh, List<String> presetArgs, String out, Predicate<String> given) {
        List<String> args = new ArrayList<>(presetArgs);
        args.addAll(List.of("--out", out));
        List<String> overridden = new ArrayList<>();
        for (OptionSpec o : new CommandLine(fresh).parseArgs(args.toArray(String[]::new)).matchedOptions()) {
            String name = o.longestName();
            if (name.equals("--out")) {
                continue;
            }
            if (given.test(name)) {
                overridden.add(name);
            } else {
                spec.findOption(name).setValue(o.getValue());
            }
        }
        return overridden;
    }
}
