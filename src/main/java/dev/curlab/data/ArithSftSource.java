package dev.curlab.data;

import dev.curlab.util.UserError;
import java.nio.charset.StandardCharsets;

/**
 * {@code builtin:arith-sft[?families=add:1-3,chain]}: worked examples of the {@link ArithProblems}
 * families ({@code 381+905=1286}), the same family list as the RL bank's,
 * the supervised warm start for {@code curlab rl --tasks builtin:arith}. A window starts with the
 * end-of-text id (as an RL prompt does), then examples joined by end-of-text, cut to
 * {@code context + 1} tokens; each example's family and parameter are drawn uniformly. Tags: the
 * source is the first example's family, the difficulty its parameter. Seeded per (seed, role).
 */
public final class ArithSftSource extends GeneratedSource {
    public static final String NAME = "builtin:arith-sft";
    private static final int EOT = ByteTokenizer.END_OF_TEXT;
    private final java.util.List<ArithProblems.Family> families;

    public ArithSftSource(String spec, int context, long seed, Role role) {
        super(spec, NAME, context, seed, role);
        String prefix = NAME + "?families=";
        if (spec.equals(NAME)) {
            this.families = ArithProblems.FAMILIES;
        } else if (spec.startsWith(prefix) && spec.length() > prefix.length()) {
            this.families = ArithProblems.parseFamilies(spec.substring(prefix.length()), "--data " + spec);
        } else {
            throw new UserError("--data " + spec + ": expected " + NAME + " or " + prefix + "add,mul,chain,rev (each optionally narrowed, add:1-3)");
        }
    }

    @Override
    public Window next() {
        int[] tokens = new int[context + 1];
        int n = 0;
        String source = null;
        double difficulty = Double.NaN;
        while (n < tokens.length) {
            tokens[n++] = EOT;
            ArithProblems.Generated g = ArithProblems.draw(rng, families);
            if (source == null) {
                source = g.family().name();
                difficulty = g.value();
            }
            byte[] doc = g.worked().getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < doc.length && n < tokens.length; i++) {
                tokens[n++] = doc[i] & 0xFF;
            }
        }
        return window(tokens, source, difficulty);
    }
}
