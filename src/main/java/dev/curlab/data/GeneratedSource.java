package dev.curlab.data;

import dev.curlab.util.Rng;

/**
 * The skeleton the seeded generated streams share ({@code builtin:mixture}, {@code builtin:skills},
 * {@code builtin:arith-sft}): one generator derived from (seed, "NAME/ROLE"), window ids counting
 * from 0, never an epoch. A subclass only says how its next window is made.
 */
abstract class GeneratedSource implements DataSource {
    protected final int context;
    protected final Rng rng;
    private final String spec;
    private final long seed;
    private final Role role;
    private long position;

    /** {@code name} is the builtin's name, which with the role names the generator: changing it changes the stream. */
    protected GeneratedSource(String spec, String name, int context, long seed, Role role) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        this.spec = spec;
        this.context = context;
        this.seed = seed;
        this.role = role;
        this.rng = Rng.derive(seed, name + "/" + role.name());
    }

    /** The window of these tokens and tags, with the next id. */
    protected final Window window(int[] tokens, String source, double difficulty) {
        return new Window(position++, tokens, source, difficulty);
    }

    @Override
    public final long position() {
        return position;
    }

    @Override
    public final int epoch() {
        return 0;
    }

    @Override
    public final String describe() {
        return spec + " (role " + role.name().toLowerCase() + ", seed " + seed + ", bytes, T=" + context + ")";
    }
}
