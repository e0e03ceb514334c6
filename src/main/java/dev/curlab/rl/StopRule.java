package dev.curlab.rl;

import dev.curlab.util.UserError;

/**
 * When a completion ends ({@code --stop}); end-of-text always ends it, as do {@code --max-new} and
 * the model's context.
 * <ul>
 *   <li>{@code newline}: also at the first token whose text holds a newline (one-line answers; the default);
 *   <li>{@code eos}: at end-of-text only (multi-line completions);
 *   <li>any other string: also once the completion's text contains it, cut before it (as vLLM's and
 *       Hugging Face's stop strings); {@code \n}, {@code \t} and {@code \\} are read as escapes, so
 *       {@code --stop '\n\n'} ends at a blank line.
 * </ul>
 * The token that ends a completion stays in its tokens (the update teaches stopping); its text leaves
 * out the stop token or string.
 *
 * @param spec the option as given
 * @param text the stop string ({@code null} for newline and eos)
 */
public record StopRule(String spec, String text) {
    public static final String NEWLINE = "newline";
    public static final String EOS = "eos";

    /** Today's rule: end-of-text or a newline token. */
    public static StopRule newline() {
        return parse(NEWLINE);
    }

    /** The rule of {@code --stop SPEC}. */
    public static StopRule parse(String spec) {
        UserError.require(spec != null && !spec.isEmpty(), "--stop must be newline, eos or a non-empty stop string, got an empty one");
        if (spec.equals(NEWLINE) || spec.equals(EOS)) {
            return new StopRule(spec, null);
        }
        return new StopRule(spec, unescape(spec));
    }

    /** Whether a token whose text holds a newline ends the completion. */
    public boolean atNewline() {
        return spec.equals(NEWLINE);
    }

    /**
     * The completion's text (its stop token already left out) cut before the first occurrence of the
     * stop string; {@code -1} when it holds none (or the rule has no string).
     */
    public int cut(String completion) {
        return text == null ? -1 : completion.indexOf(text);
    }

    /** {@code \n}, {@code \t}, {@code \\} to the characters they name; any other backslash stays as it is. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                String r = n == 'n' ? "\n" : n == 't' ? "\t" : n == '\\' ? "\\" : null;
                if (r != null) {
                    b.append(r);
                    i++;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
