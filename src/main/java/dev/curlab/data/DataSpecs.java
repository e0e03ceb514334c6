package dev.curlab.data;

import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point from a data spec to a stream. A spec is either a builtin generator
 * ({@code builtin:mixture[?key=value&...]}, see {@link MixtureSpec}; {@code builtin:skills[?...]}, see
 * {@link SkillsSpec}) or a path to a data file or
 * directory (see {@link FileSource}).
 */
public final class DataSpecs {
    public static final String BUILTIN_PREFIX = "builtin:";

    private DataSpecs() {
    }

    public static boolean isBuiltin(String spec) {
        return spec.startsWith(BUILTIN_PREFIX);
    }

    /**
     * The tokenizer for a spec: {@code option} "auto" means bytes for builtin specs and gpt2 for
     * files; any other option is a tokenizer name ({@link Tokenizers#byName}).
     */
    public static Tokenizer tokenizerFor(String spec, String option) {
        if (option == null || option.equals("auto")) {
            return isBuiltin(spec) ? new ByteTokenizer() : new BpeTokenizer();
        }
        return Tokenizers.byName(option);
    }

    /**
     * Opens the stream of {@code spec}. The seed and role select the generator of builtin data;
     * file data is read in file order whatever the seed and role (see the overload that shuffles). Builtin data is byte-level and
     * needs a tokenizer with at least 257 ids.
     */
    public static DataSource open(String spec, Tokenizer tok, int context, long seed, Role role) {
        if (context < 1) {
            throw new UserError("context length must be >= 1, got " + context);
        }
        if (isBuiltin(spec)) {
            if (tok.vocabSize() < ByteTokenizer.VOCAB_SIZE) {
                throw new UserError("builtin data is byte-level and needs a tokenizer with at least "
                        + ByteTokenizer.VOCAB_SIZE + " ids; tokenizer '" + tok.name() + "' has " + tok.vocabSize());
            }
            if (SkillsSpec.matches(spec)) {
                return new BuiltinSkills(SkillsSpec.parse(spec), context, seed, role);
            }
            if (spec.startsWith(ArithSftSource.NAME)) {
                return new ArithSftSource(spec, context, seed, role);
            }
            return new BuiltinMixture(MixtureSpec.parse(spec), context, seed, role);
        }
        return new FileSource(Path.of(spec), tok, context);
    }

    /**
     * Opens the stream of {@code spec} shuffled for training: with {@code shuffleBuffer > 0}, file
     * data has a directory's files interleaved and its windows passed through a {@link ShuffleBuffer}
     * of that many windows, both seeded from {@code seed}; with 0 it is read in order, as by
     * {@link #open(String, Tokenizer, int, long, Role)}. Builtin data is generated already mixed and
     * is the same stream whatever the buffer.
     */
    public static DataSource open(String spec, Tokenizer tok, int context, long seed, Role role, int shuffleBuffer) {
        if (shuffleBuffer < 0) {
            throw new UserError("--shuffle-buffer must be >= 0 (0 = off), got " + shuffleBuffer);
        }
        if (shuffleBuffer == 0 || isBuiltin(spec)) {
            return open(spec, tok, context, seed, role);
        }
        if (context < 1) {
            throw new UserError("context length must be >= 1, got " + context);
        }
        String purpose = "data/" + role.name().toLowerCase(java.util.Locale.ROOT);
        FileSource files = new FileSource(Path.of(spec), tok, context, Rng.derive(seed, purpose + "/files").nextLong());
        return new ShuffleBuffer(files, shuffleBuffer, Rng.derive(seed, purpose + "/shuffle"));
    }

    /**
     * The first {@code count} windows of a freshly opened stream. A finite source stops at the end
     * of its first epoch rather than wrapping, so it may return fewer (the stream is consumed one
     * window past that end).
     */
    public static List<Window> take(DataSource src, int count) {
        List<Window> windows = new ArrayList<>(Math.min(count, 1 << 16));
        int startEpoch = src.epoch();
        while (windows.size() < count) {
            Window w = src.next();
            if (src.epoch() != startEpoch) {
                break;
            }
            windows.add(w);
        }
        return windows;
    }
}
