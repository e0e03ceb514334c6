package dev.curlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.train.TrainConfig;
import dev.curlab.util.UserError;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code train --resume DIR} and {@code rl --resume DIR} with other options: a resumed run keeps the settings saved in its
 * config.json. An option given on the command line must agree with them; only {@code --steps} may
 * differ (to continue the run), and {@code --out}/{@code --overwrite} make no sense with it.
 */
final class ResumeOptions {
    /** Options that do not change the run: accepted with --resume. */
    static final Set<String> NEUTRAL = Set.of("--resume", "--no-progress", "--device", "--help", "--version");
    /** Options that name another directory or a new run: refused with --resume. */
    static final Set<String> REFUSED = Set.of("--out", "--overwrite");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResumeOptions() {
    }

    /**
     * Checks the options given with {@code --resume dir} against the saved config and returns the
     * total steps to continue to (0 = as saved); throws a one-line {@link UserError} naming the first
     * option that conflicts, with both values.
     */
    static long check(ParseResult parsed, TrainOptions options, TrainConfig saved, Path dir) {
        return check(parsed, () -> options.toConfig(), saved, dir, ResumeOptions::configPath, () -> options.steps);
    }

    /**
     * The same for {@code rl --resume}: every option of {@code rl} is the {@link dev.curlab.rl.RlConfig}
     * field of its own name, so {@code given} is the config the options would start.
     */
    static long checkRl(ParseResult parsed, Supplier<Object> given, Object saved, Path dir, LongSupplier steps) {
        return check(parsed, given, saved, dir, o -> "/" + field(o).getName(), steps);
    }

    private static long check(ParseResult parsed, Supplier<Object> givenConfig, Object saved, Path dir,
            Function<OptionSpec, String> configPath, LongSupplier givenSteps) {
        long steps = 0;
        JsonNode given = null;
        JsonNode kept = JSON.valueToTree(saved);
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (REFUSED.contains(name)) {
                throw new UserError(name + " cannot be combined with --resume: a resumed run stays in its directory " + dir);
            }
            if (NEUTRAL.contains(name)) {
                continue;
            }
            if (name.equals("--steps")) {
                steps = givenSteps.getAsLong();
                continue;
            }
            if (given == null) {
                given = JSON.valueToTree(givenConfig.get()); // the resolved values, as config.json holds them
            }
            String path = configPath.apply(o);
            JsonNode now = given.at(path);
            JsonNode before = kept.at(path);
            if (now.isMissingNode()) {
                throw new IllegalStateException("option " + name + " has no config field at " + path);
            }
            if (!now.equals(before)) {
                throw new UserError(name + " " + show(now) + " conflicts with the run's saved " + name + " " + show(before)
                        + " (" + dir.resolve("config.json") + "); a resumed run keeps its settings, only --steps may grow");
            }
        }
        return steps;
    }

    private static Field field(OptionSpec o) {
        if (!(o.userObject() instanceof Field f)) {
            throw new IllegalStateException("option " + o.longestName() + " is not a field");
        }
        return f;
    }

    /** Where an option's value lives in the saved config (a JSON pointer over TrainConfig's fields). */
    static String configPath(OptionSpec o) {
        Field f = field(o);
        Class<?> owner = f.getDeclaringClass();
        String name = f.getName();
        if (owner == SoftQOptions.class) {
            return "/selectorSettings/softQ/" + name;
        }
        if (owner == BaselineOptions.class) {
            return "/selectorSettings/baselines/" + name;
        }
        if (name.equals("tasks") || name.equals("taskEvery") || name.equals("mmluShots") || name.equals("taskLimit")) {
            return "/downstream/" + Map.of("tasks", "tasks", "taskEvery", "every", "mmluShots", "mmluShots", "taskLimit", "limit").get(name);
        }
        return name.equals("selectBatch") || name.equals("scoreTokens") ? "/selectorSettings/" + name : "/" + name;
    }

    private static String show(JsonNode v) {
        return v.isMissingNode() ? "(not set)" : v.isTextual() ? v.asText() : v.toString();
    }
}
