package dev.curlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** What {@code --help} shows: parameter labels, whole words, and only the options a command accepts. */
class HelpTextTest {
    private static final Pattern CAMEL_LABEL = Pattern.compile("<[a-z]+[A-Z][A-Za-z]*>");

    private static List<CommandLine> commands() {
        CommandLine root = Main.commandLine();
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        all.addAll(root.getSubcommands().values());
        return all;
    }

    @Test
    void everyOptionThatTakesAValueHasAParamLabelAndNoUsageShowsAFieldName() {
        List<String> missing = new ArrayList<>();
        for (CommandLine c : commands()) {
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.arity().max() > 0 && !o.hidden() && o.paramLabel().startsWith("<")) {
                    missing.add(c.getCommandName() + " " + o.longestName() + " " + o.paramLabel());
                }
            }
            Matcher m = CAMEL_LABEL.matcher(c.getUsageMessage());
            assertFalse(m.find(), () -> c.getCommandName() + " --help shows a field name: " + m.group());
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void descriptionsWrapBetweenWordsNeverInsideOne() {
        for (CommandLine c : commands()) {
            String usage = c.getUsageMessage();
            Set<String> shown = new HashSet<>(List.of(usage.split("\\s+")));
            for (OptionSpec o : c.getCommandSpec().options()) {
                if (o.hidden()) {
                    continue;
                }
                for (String line : o.renderedDescription()) {
                    for (String word : line.split("\\s+|%n")) {
                        assertTrue(word.isEmpty() || shown.contains(word),
                                () -> c.getCommandName() + " --help splits '" + word + "' of " + o.longestName() + ":\n" + usage);
                    }
                }
            }
            for (String line : c.getCommandSpec().usageMessage().description()) {
                for (String word : line.split("\\s+|%n")) {
                    assertTrue(word.isEmpty() || shown.contains(word),
                            () -> c.getCommandName() + " --help splits '" + word + "' of its description:\n" + usage);
                }
            }
            for (String line : usage.split("\n")) {
                assertTrue(line.length() <= HelpLayout.WIDTH || !line.strip().contains(" "),
                        () -> c.getCommandName() + " --help has a line wider than " + HelpLayout.WIDTH + ": " + line);
            }
        }
    }

    @Test
    void compareHelpListsNeitherSelectorNorSeedWhichItRefuses() {
        String usage = Main.commandLine().getSubcommands().get("compare").getUsageMessage();
        assertFalse(usage.contains("--selector=") || usage.contains("--selector "), usage);
        assertFalse(usage.contains("--seed=") || usage.contains("--seed "), usage);
        assertTrue(usage.contains("--selectors=") && usage.contains("--seeds=") && usage.contains("--seed-list="), usage);
        String train = Main.commandLine().getSubcommands().get("train").getUsageMessage();
        assertTrue(train.contains("--selector=NAME") && train.contains("--seed=S"), train);
    }

    @Test
    void dataHelpNamesEveryFileFormat() {
        String train = Main.commandLine().getSubcommands().get("train").getUsageMessage();
        for (String format : List.of(".txt", ".jsonl", ".jsonl.gz", ".parquet", "directory")) {
            assertTrue(train.contains(format), () -> "--data help omits " + format + ":\n" + train);
        }
    }
}
