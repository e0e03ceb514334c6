package dev.curlab.rl;

/**
 * Step 4 of the RL loop for the curators that filter groups ({@code dapo}, {@code band}): which of the
 * generated groups enter the update, and how many generation rounds a step may take to fill its batch
 * of B groups. The loop asks every curator for its filter ({@link Curator#filter()}); most keep every
 * group in one round ({@link #KEEP_ALL}). Filtering reads a group's binary successes (its {@code acc}),
 * never a shaped reward. Every rollout of every round is charged, kept or not.
 */
public interface GroupFilter {

    /** One round of B problems, every group kept (zero-variance groups still add nothing to the update). */
    GroupFilter KEEP_ALL = new GroupFilter() {
        @Override
        public int promptsPerRound(int b) {
            return b;
        }

        @Override
        public int maxRounds() {
            return 1;
        }

        @Override
        public boolean keep(int successes, int g) {
            return true;
        }
    };

    /** Problems the curator picks, and the policy rolls out, per generation round (B unless over-generating). */
    int promptsPerRound(int b);

    /** Most generation rounds per step (1: no backfill); the loop stops earlier once B groups are kept. */
    int maxRounds();

    /** True to keep a group whose {@code g} rollouts had {@code successes} right. */
    boolean keep(int successes, int g);
}
