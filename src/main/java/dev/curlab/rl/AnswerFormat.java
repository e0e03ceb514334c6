package dev.curlab.rl;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.curlab.util.Spelled;
import dev.curlab.util.UserError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the answer sits in a completion ({@code --answer-format}); the verifier compares what is
 * extracted with the reference, and a completion with nothing to extract is wrong:
 * <ul>
 *   <li>{@code exact}: the whole completion (curlab's builtin banks: the answer is all the policy writes);</li>
 *   <li>{@code last-number}: the last number in the completion ({@code -12}, {@code 1,234.5}), commas stripped;</li>
 *   <li>{@code gsm8k}: the rest of the line after the last {@code ####}, trimmed, commas stripped (GSM8K's solutions end {@code #### 72});</li>
 *   <li>{@code boxed}: the contents of the last {@code \boxed{...}}, nested braces kept balanced (MATH's solutions).</li>
 * </ul>
 * The same gsm8k and boxed rules turn a GSM8K or MATH bank's reference solution into its answer.
 */
public enum AnswerFormat implements Spelled {
    EXACT, LAST_NUMBER, GSM8K, BOXED;

    private static final Pattern NUMBER = Pattern.compile("[+-]?\\d+(?:,\\d{3})*(?:\\.\\d+)?");
    private static final String BOX = "\\boxed{";



    /** The format called {@code name}; {@code option} names it in the error. */
    public static AnswerFormat of(String name, String option) {
        for (AnswerFormat f : values()) {
            if (f.spelling().equals(name)) {
                return f;
            }
        }
        throw new UserError(option + " must be exact, last-number, gsm8k or boxed, got '" + name + "'");
    }

    /** The answer this format reads in {@code completion}; null when there is none. */
    /** The format spelled {@code s} in a run's config.json. */
    @JsonCreator
    public static AnswerFormat fromSpelling(String s) {
        return of(s, "--answer-format");
    }

    @Override
    public String toString() {
        return spelling();
    }

    public String extract(String completion) {
        return switch (this) {
            case EXACT -> completion;
            case LAST_NUMBER -> lastNumber(completion);
            case GSM8K -> afterHashes(completion);
            case BOXED -> lastBoxed(completion);
        };
    }

    /** The last number in {@code s}, commas stripped; null when none. */
    public static String lastNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? null : last.replace(",", "");
    }

    /** The rest of the line after the last {@code ####}, trimmed, commas stripped; null when there is no {@code ####}. */
    public static String afterHashes(String s) {
        int at = s.lastIndexOf("####");
        if (at < 0) {
            return null;
        }
        String rest = s.substring(at + 4);
        int nl = rest.indexOf('\n');
        return (nl < 0 ? rest : rest.substring(0, nl)).replace(",", "").strip();
    }

    /** The contents of the last {@code \boxed{...}} with balanced braces; null when none is closed. */
    public static String lastBoxed(String s) {
        for (int at = s.lastIndexOf(BOX); at >= 0; at = at == 0 ? -1 : s.lastIndexOf(BOX, at - 1)) {
            int depth = 1;
            int start = at + BOX.length();
            for (int i = start; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    return s.substring(start, i).strip();
                }
            }
        }
        return null;
    }
}
