package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.charset.StandardCharsets;

/**
 * Sentences of a small probabilistic grammar with number agreement:
 *
 * <pre>
 *   S        -> NP(n, L-1) VP(n) "."
 *   NP(n, d) -> Det(n) [Adj] Noun(n) [ "that" TVerb(n) NP(m, d-1) ]   (the clause iff d > 0)
 *   VP(n)    -> IVerb(n) | TVerb(n) NP(m, 0)
 * </pre>
 *
 * At level L the subject carries a chain of exactly L-1 nested relative clauses, so the main verb
 * must agree with a head noun that lies further back as the level grows; adjectives also become
 * more frequent. Level 1: {@code "the cat sees a dog."}
 */
final class GrammarGenerator implements DocumentGenerator {
    private static final String[][] DETERMINERS = {{"the", "a", "every", "this"}, {"the", "some", "many", "these"}};
    private static final String[][] NOUNS = {
        {"cat", "dog", "bird", "child", "teacher", "robot", "farmer", "king"},
        {"cats", "dogs", "birds", "children", "teachers", "robots", "farmers", "kings"}};
    private static final String[] ADJECTIVES = {"small", "red", "happy", "old", "quiet", "clever", "green", "tall"};
    private static final String[][] TRANSITIVE = {
        {"sees", "chases", "likes", "helps", "finds", "follows"},
        {"see", "chase", "like", "help", "find", "follow"}};
    private static final String[][] INTRANSITIVE = {{"sleeps", "runs", "sings", "waits"}, {"sleep", "run", "sing", "wait"}};

    @Override
    public byte[] document(Rng rng, int level) {
        StringBuilder s = new StringBuilder();
        int number = rng.nextInt(2);
        nounPhrase(s, rng, number, level - 1, level);
        s.append(' ');
        verbPhrase(s, rng, number, level);
        return s.append('.').toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void nounPhrase(StringBuilder s, Rng rng, int number, int depth, int level) {
        s.append(pick(rng, DETERMINERS[number])).append(' ');
        if (rng.nextDouble() < 0.2 * level) {
            s.append(pick(rng, ADJECTIVES)).append(' ');
        }
        s.append(pick(rng, NOUNS[number]));
        if (depth > 0) {
            s.append(" that ").append(pick(rng, TRANSITIVE[number])).append(' ');
            nounPhrase(s, rng, rng.nextInt(2), depth - 1, level);
        }
    }

    private static void verbPhrase(StringBuilder s, Rng rng, int number, int level) {
        if (rng.nextDouble() < 0.3) {
            s.append(pick(rng, INTRANSITIVE[number]));
        } else {
            s.append(pick(rng, TRANSITIVE[number])).append(' ');
            nounPhrase(s, rng, rng.nextInt(2), 0, level);
        }
    }

    private static String pick(Rng rng, String[] words) {
        return words[rng.nextInt(words.length)];
    }
}
