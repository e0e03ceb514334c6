package dev.curlab.rl;

import java.util.Set;

/**
 * What a history-based curator keeps its statistics on: each problem ({@code #id}, the problem's stable
 * id in its bank, which pays off on a fixed bank revisited over epochs) or its bucket
 * ({@link Problem#bucket()}: family and parameters, the only thing a stream of fresh problems repeats).
 */
final class ProblemKey {
    static final Set<String> CHOICES = Set.of("problem", "bucket");

    private ProblemKey() {
    }

    static String of(Problem p, String key) {
        return key.equals("bucket") ? p.bucket() : "#" + p.id();
    }
}
