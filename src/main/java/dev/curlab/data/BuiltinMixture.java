package dev.curlab.data;

import dev.curlab.util.Rng;

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
public final class BuiltinMixture implements DataSource {
    private final MixtureSpec spec;
    private final int context;
    private final long seed;
    private final Role role;
    private final double[] probabilities;
    private final DocumentGenerator[] generators;
    private final Rng rng;
    private long position;

    public BuiltinMixture(MixtureSpec spec, int context, long seed, Role role) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        this.spec = spec;
        this.context = context;
        this.seed = seed;
        this.role = role;
        this.probabilities = spec.probabilities(role);
        this.rng = Rng.derive(seed, "builtin:mixture/" + role.name());
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
        return new Window(position++, tokens, source.tag(), difficulty);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public int epoch() {
        return 0;
    }

    @Override
    public String describe() {
        return spec + " (role " + role.name().toLowerCase() + ", seed " + seed + ", bytes, T=" + context + ")";
    }
}
