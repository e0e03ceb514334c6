package dev.curlab.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The option list, parameter list and footer of every {@code --help}, wrapped at spaces only.
 * picocli's own layout breaks lines with {@link java.text.BreakIterator}, which splits
 * {@code config.json} after the dot and {@code 0.4} inside the number; paths, file names and values
 * must survive a copy from the help text. Layout otherwise as picocli's: names in the first 29
 * columns, the description beside them (below them when the names are longer), continuation lines
 * indented by two.
 */
final class HelpLayout {
    static final int WIDTH = 80;
    private static final int NAMES = 29;
    private static final java.util.regex.Pattern HANG = java.util.regex.Pattern.compile("^(\\s+\\S+\\s{2,})");

    private HelpLayout() {
    }

    /** Installs the layout on {@code cl} and every subcommand. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpLayout::parameters);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, HelpLayout::footer);
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, HelpLayout::description);
        cl.getCommandSpec().usageMessage().width(WIDTH);
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }

    /**
     * Hides {@code names} in {@code cl}'s help while still parsing them (so that the command can
     * refuse them with a message that says what to use instead).
     */
    static void hide(CommandLine cl, String... names) {
        for (String name : names) {
            OptionSpec o = cl.getCommandSpec().findOption(name);
            cl.getCommandSpec().remove(o);
            cl.getCommandSpec().addOption(o.toBuilder().hidden(true).build());
        }
    }

    private static String options(Help help) {
        List<OptionSpec> shown = new ArrayList<>();
        for (OptionSpec o : help.commandSpec().options()) {
            if (!o.hidden()) {
                shown.add(o);
            }
        }
        if (help.commandSpec().usageMessage().sortOptions()) {
            shown.sort(Comparator.comparing(o -> o.shortestName().replaceFirst("^-+", "").toLowerCase()));
        }
        StringBuilder sb = new StringBuilder();
        for (OptionSpec o : shown) {
            String shortName = "";
            for (String n : o.names()) {
                if (n.length() == 2 && n.charAt(0) == '-') {
                    shortName = n;
                }
            }
            String names = "  " + (shortName.isEmpty() ? "    " : shortName + (o.names().length > 1 ? ", " : "  "))
                    + (o.longestName().equals(shortName) ? "" : o.longestName())
                    + (o.arity().max() > 0 ? "=" + o.paramLabel() : "");
            row(sb, names, o);
        }
        return sb.toString();
    }

    private static String parameters(Help help) {
        StringBuilder sb = new StringBuilder();
        for (PositionalParamSpec p : help.commandSpec().positionalParameters()) {
            if (!p.hidden()) {
                row(sb, "      " + p.paramLabel() + (p.arity().max() > 1 ? "..." : ""), p);
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String names, ArgSpec arg) {
        String text = String.join(" ", arg.renderedDescription()).replace("%n", "\n").replace("%%", "%");
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n")) {
            lines.addAll(wrap(paragraph, WIDTH - NAMES, 2));
        }
        if (names.length() >= NAMES) {
            sb.append(names).append('\n');
            names = "";
        }
        for (String line : lines) {
            sb.append(String.format("%-" + NAMES + "s", names)).append(line).append('\n');
            names = "";
        }
        if (lines.isEmpty()) {
            sb.append(names).append('\n');
        }
    }

    /** The footer's lines; a longer one wraps under the text after its leading name column. */
    private static String footer(Help help) {
        String[] footer = help.commandSpec().usageMessage().footer();
        if (footer.length == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String line : String.join("\n", footer).replace("%n", "\n").replace("%%", "%").split("\n", -1)) {
            if (line.length() <= WIDTH) {
                sb.append(line).append('\n');
                continue;
            }
            java.util.regex.Matcher m = HANG.matcher(line);
            int hang = m.find() ? m.group(1).length() : line.length() - line.stripLeading().length();
            String rest = line.substring(hang);
            List<String> lines = wrap(rest, WIDTH - hang, 0);
            for (int i = 0; i < lines.size(); i++) {
                sb.append(i == 0 ? line.substring(0, hang) : " ".repeat(hang)).append(lines.get(i)).append('\n');
            }
        }
        return sb.toString();
    }

    /** The command's description, wrapped at spaces. */
    private static String description(Help help) {
        StringBuilder sb = new StringBuilder();
        String text = String.join("\n", help.commandSpec().usageMessage().description()).replace("%n", "\n").replace("%%", "%");
        for (String paragraph : text.split("\n")) {
            for (String line : wrap(paragraph, WIDTH, 0)) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** Greedy wrap at spaces; a word longer than the width stands alone on its line. */
    static List<String> wrap(String text, int width, int indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int room = width - (lines.isEmpty() ? 0 : indent);
            if (line.length() > 0 && line.length() + 1 + word.length() > room) {
                lines.add((lines.isEmpty() ? "" : " ".repeat(indent)) + line);
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add((lines.isEmpty() ? "" : " ".repeat(indent)) + line);
        }
        return lines;
    }
}
