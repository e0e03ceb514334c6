package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The update rules of alp-gmm and bandit-adv against hand-computed numbers; the --curator settings' errors. */
class LearnedCuratorsMathTest {

    static Problem problem(String source, double v) {
        return new Problem(0, source, "p", "a", Map.of("digits", v));
    }

    // ---------------------------------------------------------------- alp-gmm

    @Test
    void componentsAreSampledInProportionToTheirMeanAlp() {
        List<AlpGmm.Component> gmm = List.of(
                new AlpGmm.Component(0.5, new double[] {0.0, 0.1}, new double[][] {{1, 0}, {0, 1}}),
                new AlpGmm.Component(0.3, new double[] {1.0, 0.3}, new double[][] {{1, 0}, {0, 1}}),
                new AlpGmm.Component(0.2, new double[] {0.5, -0.05}, new double[][] {{1, 0}, {0, 1}}));
        // mean ALPs 0.1, 0.3 and -0.05 (clipped to 0): 0.1/0.4, 0.3/0.4, 0 -- the mixture weights play no part
        assertArrayEquals(new double[] {0.25, 0.75, 0}, AlpGmm.componentWeights(gmm), 1e-12);
        assertNull(AlpGmm.componentWeights(List.of(gmm.get(2))), "no positive ALP: nothing to prefer");
    }

    @Test
    void alpIsTheDistanceInOutcomeToTheNearestEarlierSampleTheMostRecentOfEquals() {
        List<double[]> history = List.of(new double[] {0, 0, 0.5}, new double[] {1, 1, 0.2}, new double[] {0, 0, 0.9});
        assertEquals(0.4, AlpGmm.alp(history, new double[] {0.1, 0}, 0.5), 1e-12);   // nearest: (0,0), latest r 0.9
        assertEquals(0.55, AlpGmm.alp(history, new double[] {0.9, 0.8}, 0.75), 1e-12); // nearest: (1,1), r 0.2
        assertEquals(0, AlpGmm.alp(List.of(), new double[] {0, 0}, 1), 0);           // no earlier sample
    }

    @Test
    void informationCriteriaCountAFullCovarianceMixturesParameters() {
        assertEquals(19, AlpGmm.freeParameters(2, 3));                              // 1 + 2*3 + 2*6
        assertEquals(2 * 19 + 200, AlpGmm.criterion("aic", -100, 2, 3, 50), 1e-9);
        assertEquals(19 * Math.log(50) + 200, AlpGmm.criterion("bic", -100, 2, 3, 50), 1e-9);
    }

    @Test
    void emOnTwoClustersRecoversTheirAlpAndSamplingWeights() {
        Rng rng = new Rng(7);
        double[][] data = new double[200][];
        for (int i = 0; i < data.length; i++) {
            boolean right = i % 2 == 1;                     // params near 0 with ALP 0.1, near 1 with ALP 0.3
            data[i] = new double[] {(right ? 1 : 0) + 0.05 * rng.nextGaussian(), (right ? 0.3 : 0.1) + 0.02 * rng.nextGaussian()};
        }
        AlpGmm.Fit fit = AlpGmm.fit(data, 2, "aic");
        List<AlpGmm.Component> comps = new ArrayList<>(fit.components());
        comps.sort(Comparator.comparingDouble(c -> c.mean()[0]));
        assertEquals(0.1, comps.get(0).meanAlp(), 0.01);
        assertEquals(0.3, comps.get(1).meanAlp(), 0.01);
        double[] w = AlpGmm.componentWeights(comps);
        assertEquals(0.25, w[0], 0.02);
        assertEquals(0.75, w[1], 0.02);
        AlpGmm.Fit byBic = AlpGmm.fit(data, 4, "bic");
        double[] c = byBic.criterionByK();
        assertEquals(2, byBic.components().size(), "BIC prefers the two true clusters: " + java.util.Arrays.toString(c));
    }

    @Test
    void arithParametersAreScaledToTheUnitSquare() {
        ArithBank bank = new ArithBank("builtin:arith?families=add,mul", 0, 4);
        assertArrayEquals(new double[] {0, 0.4}, bank.taskParams(problem("add", 3)), 1e-12);  // (3-1)/(6-1)
        assertArrayEquals(new double[] {1, 1}, bank.taskParams(problem("mul", 3)), 1e-12);    // (3-1)/(3-1)
    }

    @Test
    void nearestFreeCandidateSkipsTakenOnes() {
        List<double[]> xs = List.of(new double[] {0, 0}, new double[] {1, 1}, new double[] {0.9, 1});
        boolean[] taken = {false, false, false};
        assertEquals(1, AlpGmmCurator.nearestFree(xs, taken, new double[] {1, 1, 0.7})); // the ALP coordinate is ignored
        taken[1] = true;
        assertEquals(2, AlpGmmCurator.nearestFree(xs, taken, new double[] {1, 1, 0.7}));
    }

    // ---------------------------------------------------------------- bandit-adv

    @Test
    void meanAbsoluteAdvantageOfABinaryGroup() {
        assertEquals(0.999998, BanditAdvCurator.meanAbsAdvantage(2, 4), 1e-6);   // +-0.5 / (0.5 + 1e-6)
        assertEquals(0.8660234, BanditAdvCurator.meanAbsAdvantage(1, 4), 1e-6);  // (1.7320468 + 3 * 0.5773489) / 4
        assertEquals(0, BanditAdvCurator.meanAbsAdvantage(4, 4), 0);
    }

    @Test
    void armProbabilitiesAfterGivenRewards() {
        BanditAdvCurator b = new BanditAdvCurator(new BanditAdvCurator.Settings(1, 1.0, 1.0));
        Problem a = problem("add", 1);
        Problem c = problem("add", 2);
        b.observe(List.of(a, c), new int[] {2, 1}, 4);
        // n = 2: UCB_a = 0.999998 + sqrt(2 ln 2) = 2.1774080, UCB_c = 0.8660234 + 1.1774100 = 2.0434334
        assertEquals(2.1774080, b.score(a.bucket()), 1e-6);
        assertEquals(2.0434334, b.score(c.bucket()), 1e-6);
        double[] p = BanditAdvCurator.probabilities(new double[] {b.score(a.bucket()), b.score(c.bucket())}, 1.0);
        assertArrayEquals(new double[] {0.5334436, 0.4665564}, p, 1e-6);
        // a's next group is flat; the window of 1 forgets its earlier reward: UCB_a = 0 + sqrt(2 ln 3 / 2) = 1.0481471,
        // UCB_c = 0.8660234 + sqrt(2 ln 3) = 2.3483272; at tau 0.5: p_a = 1 / (1 + exp(2.6003602)) = 0.0691152
        b.observe(List.of(a), new int[] {0}, 4);
        p = BanditAdvCurator.probabilities(new double[] {b.score(a.bucket()), b.score(c.bucket())}, 0.5);
        assertEquals(0.0691152, p[0], 1e-6);
        // an arm never observed takes the whole draw
        assertArrayEquals(new double[] {0, 1, 0}, BanditAdvCurator.probabilities(new double[] {5, Double.POSITIVE_INFINITY, 1}, 0.1), 0);
    }

    @Test
    void unseenCategoriesAreTriedFirstAndPicksAreDistinct() {
        BanditAdvCurator b = new BanditAdvCurator(new BanditAdvCurator.Settings(8, 1.0, 0.1));
        b.observe(List.of(problem("add", 1)), new int[] {2}, 4);
        List<Problem> cands = List.of(problem("add", 1), problem("add", 1), problem("add", 5), problem("add", 1));
        int[] pick = b.pick(0, cands, 2, new Rng(3));
        assertEquals(2, pick[0], "the only unseen category comes first");
        assertTrue(pick[1] != 2, "then a distinct candidate of the seen one");
    }

    // ---------------------------------------------------------------- settings

    @Test
    void curatorSettingsParseAndFailInOneLineNamingTheKey() {
        AlpGmmCurator.Settings s = AlpGmmCurator.Settings.from(new StrategySpec("--curator", "alp-gmm?fit-every=3&criterion=bic"));
        assertEquals(3, s.fitEvery());
        assertEquals("bic", s.criterion());
        assertEquals(0.2, s.randomShare(), 0);
        UserError e = assertThrows(UserError.class, () -> AlpGmmCurator.Settings.from(new StrategySpec("--curator", "alp-gmm?fit_every=3")));
        assertTrue(e.getMessage().startsWith("--curator alp-gmm?fit_every=3: unknown setting 'fit_every' of alp-gmm (expected one of bootstrap,"), e.getMessage());
        e = assertThrows(UserError.class, () -> BanditAdvCurator.Settings.from(new StrategySpec("--curator", "bandit-adv?tau=0")));
        assertEquals("--curator bandit-adv?tau=0: tau must be a number in [1.0E-6, 100.0], got '0'", e.getMessage());
        e = assertThrows(UserError.class, () -> new StrategySpec("--curator", "curator?lr"));
        assertEquals("--curator curator?lr: expected key=value after '?', got 'lr'", e.getMessage());
    }

    // ---------------------------------------------------------------- alp-gmm through the curator

    /** A bank that only maps problems to their params (the curator asks nothing else of it). */
    static final ProblemBank PARAMS_ONLY = new ProblemBank() {
        @Override
        public Problem next() {
            throw new AssertionError();
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public List<Problem> heldout() {
            return List.of();
        }

        @Override
        public void checkFits(dev.curlab.data.Tokenizer tokenizer, int context) {
        }

        @Override
        public String describe() {
            return "params only";
        }
    };

    @Test
    void theCuratorsAlpIsAgainstTheEarlierSamplesNotTheNewOne() {
        AlpGmmCurator c = new AlpGmmCurator(AlpGmmCurator.Settings.from(new StrategySpec("--curator", "alp-gmm")), PARAMS_ONLY, 0);
        // at x = 1: 0 of 4 (no earlier sample: ALP 0), then 4 of 4 (|1 - 0| = 1), then 1 of 4 (|0.25 - 1| = 0.75)
        c.observe(List.of(problem("add", 1), problem("add", 1), problem("add", 1)), new int[] {0, 4, 1}, 4);
        assertEquals((0 + 1 + 0.75) / 3, (Double) c.metrics().get("alpgmm_alp_mean"), 1e-12);
        c.observe(List.of(problem("add", 3)), new int[] {2}, 4);   // nearest earlier: the last at x = 1, r 0.25
        assertEquals(0.25, (Double) c.metrics().get("alpgmm_alp_mean"), 1e-12);
    }

    @Test
    void theRandomShareOfPicksIsHonouredOnceAMixtureExists() {
        List<Problem> cands = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            cands.add(problem("add", i % 4));
        }
        for (double share : new double[] {1.0, 0.0}) {
            AlpGmmCurator c = new AlpGmmCurator(AlpGmmCurator.Settings.from(new StrategySpec("--curator", 
                    "alp-gmm?bootstrap=0&fit-every=1&window=8&max-k=2&random-share=" + share)), PARAMS_ONLY, 0);
            for (int k = 0; k < 4; k++) {                      // ALP 1 at x = 0 and 1 (flipping outcomes), 0 at x = 2 and 3
                c.observe(List.of(problem("add", 0), problem("add", 1), problem("add", 2), problem("add", 3)),
                        new int[] {k % 2 == 0 ? 0 : 4, k % 2 == 0 ? 4 : 0, 2, 2}, 4);
            }
            c.pick(4, cands, 4, new Rng(5));
            Map<String, Object> m = c.metrics();
            assertTrue(((Number) m.get("alpgmm_components")).intValue() > 0, "a mixture was fitted: " + m);
            assertEquals(share == 1.0 ? 4 : 0, m.get("alpgmm_random_picks"), "random-share " + share + ": " + m);
        }
    }
}
