package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.curlab.eval.Bootstrap;
import org.junit.jupiter.api.Test;

/** The RL verdict's wording on hand numbers: an interval holding 0 is no difference, one above is higher, one below lower. */
class RlVerdictTest {

    private static RlLedger.Paired paired(double mean, double lo, double hi) {
        return new RlLedger.Paired(new double[] {lo, mean, hi}, mean, new Bootstrap.Interval(lo, hi));
    }

    @Test
    void theWordFollowsWhereTheIntervalLiesAgainstZero() {
        assertEquals("no difference at this size", RlVerdict.word(-0.004, 0.025));
        assertEquals("no difference at this size", RlVerdict.word(0.0, 0.025));      // touching 0 holds it
        assertEquals("no difference at this size", RlVerdict.word(-0.02, 0.0));
        assertEquals("higher", RlVerdict.word(0.008, 0.018));
        assertEquals("lower", RlVerdict.word(-0.021, -0.001));
    }

    @Test
    void theLineNamesTheCuratorTheSeedsAndBothIntervalsAndReadsTheWordAtEqualRollouts() {
        assertEquals("RL verdict (3 seeds): dapo vs uniform at equal rollouts +0.012 [-0.004, +0.025], at equal steps +0.013 [+0.008, +0.018]: "
                + "no difference at this size; RESULTS X has 10 seeds",
                RlVerdict.line("dapo", "uniform", 3, paired(0.012, -0.004, 0.025), paired(0.013, 0.008, 0.018), "RESULTS X has 10 seeds"));
        assertEquals("RL verdict (3 seeds): dapo vs uniform at equal rollouts +0.016 [+0.005, +0.027], at equal steps +0.010 [-0.002, +0.020]: dapo higher",
                RlVerdict.line("dapo", "uniform", 3, paired(0.016, 0.005, 0.027), paired(0.010, -0.002, 0.020), ""));
        assertEquals("RL verdict (1 seed): band vs uniform at equal rollouts -0.011 [-0.021, -0.001], at equal steps -0.011 [-0.021, -0.001]: band lower",
                RlVerdict.line("band", "uniform", 1, paired(-0.011, -0.021, -0.001), paired(-0.011, -0.021, -0.001), ""));
    }

    @Test
    void noPairedSeedSaysSoInsteadOfAVerdict() {
        RlLedger.Paired none = new RlLedger.Paired(new double[0], 0, null);
        assertEquals("RL verdict: no seed of dapo and uniform to compare", RlVerdict.line("dapo", "uniform", 3, none, none, ""));
    }
}
