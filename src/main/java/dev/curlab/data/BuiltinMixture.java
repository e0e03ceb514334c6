package dev.curlab.data;


/**
 * {@code builtin:mixture}: an endless, seeded, byte-level stream of synthetic windows from several
 * sources (see {@link MixtureSource} and {@link MixtureSpec}), for curriculum research without
 * data files.
 *
 * <p>Each window comes from ONE source at ONE difficulty level: the source is drawn from the
 * role's probabilities ({@link MixtureSpec#probabilities}), the level uniformly from 1..4, and
 * documents of that source and level are joined by the end-of-text id 256 and cut to exactly
 * {@code context + 1} tokens; a window always starts at the start of a document. Tags:
 * {@code source} is the source's tag; {@code difficulty} is the level (1..4), except that noise
 * windows carry NaN. A duplicates window repeats one fixed document, so it recurs verbatim.
 *
 * <p>{@link Role#TRAIN} streams every source; {@link Role#HELDOUT} and {@link Role#EVAL} stream
 * only the learnable target sources in their relative proportions. Each role draws from its own
 * generator derived from (seed, role), so different roles are disjoint in practice. Window ids
 * count from 0 in every stream; {@link #epoch()} is always 0.
 */
public final class BuiltinMixture extends GeneratedSource {
    private final double[] probabilities;
    private final DocumentGenerator[] generators;

    public BuiltinMixture(MixtureSpec spec, int context, long seed, Role role) {
        super(spec.toString(), "builtin:mixture", context, seed, role);
        this.probabilities = spec.probabilities(role);
        this.generators = new DocumentGenerator[MixtureSource.values().length];
        generators[MixtureSource.ARITHMETIC.ordinal()] = new ArithmeticGenerator();
        generators[MixtureSource.GRAMMAR.ordinal()] = new GrammarGenerator();
        generators[MixtureSource.COPY.ordinal()] = new CopyGenerator();
        generators[MixtureSource.NOISE.ordinal()] = new NoiseGenerator();
        generators[MixtureSource.DUPLICATES.ordinal()] = new DuplicateDocuments();
    }

    @Override
    public Window next() {
        MixtureSource source = MixtureSource.values()[rng.nextCategorical(probabilities)];
        int level = DocumentGenerator.MIN_LEVEL + rng.nextInt(DocumentGenerator.MAX_LEVEL);
        DocumentGenerator generator = generators[source.ordinal()];
        byte[] repeated = source == MixtureSource.DUPLICATES ? generator.document(rng, level) : null;

        int[] tokens = ByteWindows.pack(context + 1, () -> repeated != null ? repeated : generator.document(rng, level));
        double difficulty = source == MixtureSource.NOISE ? Double.NaN : level;
        return window(tokens, source.tag(), difficulty);
    }
}
