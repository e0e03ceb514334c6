package dev.curlab.data;

/**
 * The sources of {@link BuiltinMixture}. The learnable ones form the held-out target
 * distribution; {@link #NOISE} and {@link #DUPLICATES} are distractors that appear only in
 * {@link Role#TRAIN}.
 */
public enum MixtureSource {
    ARITHMETIC("arithmetic", true),
    GRAMMAR("grammar", true),
    COPY("copy", true),
    NOISE("noise", false),
    DUPLICATES("duplicates", false);

    private final String tag;
    private final boolean learnable;

    MixtureSource(String tag, boolean learnable) {
        this.tag = tag;
        this.learnable = learnable;
    }

    /** The {@link Window#source()} tag, also the spec key. */
    public String tag() {
        return tag;
    }

    /** True for the target sources (arithmetic, grammar, copy). */
    public boolean learnable() {
        return learnable;
    }
}
