package dev.curlab.data;

import dev.curlab.util.Rng;

/**
 * {@code builtin:skills}: an endless, seeded, byte-level stream of windows from skills with a known
 * prerequisite graph ({@link Skill}, {@link SkillsSpec}), where the order of learning can matter.
 *
 * <p>Each window holds ONE skill: the skill is drawn from the role's shares, and documents of it are
 * joined by the end-of-text id 256 and cut to exactly {@code context + 1} tokens; a window starts at
 * the start of a document. Tags: {@code source} is the skill's tag, {@code difficulty} its level in
 * the graph. {@link Role#TRAIN} streams the skills in the spec's weights; {@link Role#HELDOUT} and
 * {@link Role#EVAL} stream only the target skills, in equal shares. Each role has its own generator
 * derived from (seed, role); window ids count from 0; {@link #epoch()} is always 0.
 */
public final class BuiltinSkills implements DataSource {
    private final SkillsSpec spec;
    private final int context;
    private final long seed;
    private final Role role;
    private final double[] probabilities;
    private final Rng rng;
    private long position;

    public BuiltinSkills(SkillsSpec spec, int context, long seed, Role role) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        this.spec = spec;
        this.context = context;
        this.seed = seed;
        this.role = role;
        this.probabilities = spec.probabilities(role);
        this.rng = Rng.derive(seed, "builtin:skills/" + role.name());
    }

    @Override
    public Window next() {
        Skill skill = Skill.values()[rng.nextCategorical(probabilities)];
        int[] tokens = ByteWindows.pack(context + 1, () -> skill.document(rng));
        return new Window(position++, tokens, skill.tag(), skill.level());
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
