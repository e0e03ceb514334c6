package dev.curlab.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last step of every error line: one line, without the Java class names and parser internals
 * that a wrapped library message may carry (Jackson's {@code `dev.curlab.train.TrainConfig`},
 * {@code (class ...)}, {@code [Source: ...; line: 1, column: 2]} with its {@code StreamReadFeature} hint).
 */
public final class Messages {
    private static final Pattern SOURCE = Pattern.compile("\\s*(\\(for Object starting at\\s*)?(at )?\\[Source: [^\\]]*\\]\\)?");
    private static final Pattern CHAIN = Pattern.compile("\\s*\\(through reference chain: [^)]*?\\[\"([^\"]+)\"\\]\\)");
    private static final Pattern CHAIN_OTHER = Pattern.compile("\\s*\\(through reference chain: [^)]*\\)");
    private static final Pattern CLASS = Pattern.compile("\\s*\\(class [\\w.$]+\\)");
    private static final Pattern QUOTED = Pattern.compile("`([\\w$]+(?:\\.[\\w$]+)+)`");
    private static final Pattern FEATURE = Pattern.compile("\\s*\\(?[Ee]nable `?[\\w.]*Feature\\.[A-Z_]+`?[^)]*\\)?");

    private Messages() {
    }

    /** {@code message} as one line, with library internals replaced by plain words. */
    public static String clean(String message) {
        if (message == null) {
            return "";
        }
        String m = message.replace('\r', ' ').replace('\n', ' ');
        m = CHAIN.matcher(m).replaceAll(" (at \"$1\")");
        m = CHAIN_OTHER.matcher(m).replaceAll("");
        m = SOURCE.matcher(m).replaceAll("");
        m = FEATURE.matcher(m).replaceAll("");
        m = CLASS.matcher(m).replaceAll("");
        Matcher q = QUOTED.matcher(m);
        StringBuilder sb = new StringBuilder();
        while (q.find()) {
            q.appendReplacement(sb, Matcher.quoteReplacement(plain(q.group(1))));
        }
        q.appendTail(sb);
        return sb.toString().replaceAll(" {2,}", " ").trim();
    }

    private static String plain(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return switch (simple) {
            case "String" -> "a string";
            case "Integer", "Long", "Short", "BigInteger" -> "an integer";
            case "Double", "Float", "BigDecimal" -> "a number";
            case "Boolean" -> "true or false";
            case "Map", "LinkedHashMap", "HashMap" -> "an object";
            case "List", "ArrayList" -> "an array";
            default -> "the settings";
        };
    }
}
