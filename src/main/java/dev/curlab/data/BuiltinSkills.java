package dev.curlab.data;


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
public final class BuiltinSkills extends GeneratedSource {
    private final double[] probabilities;

    public BuiltinSkills(SkillsSpec spec, int context, long seed, Role role) {
        super(spec.toString(), "builtin:skills", context, seed, role);
        this.probabilities = spec.probabilities(role);
    }

    @Override
    public Window next() {
        Skill skill = Skill.values()[rng.nextCategorical(probabilities)];
        int[] tokens = ByteWindows.pack(context + 1, () -> skill.document(rng));
        return window(tokens, skill.tag(), skill.level());
    }
}
