package dev.curlab.rl;

import dev.curlab.util.StrategySpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.util.Rng;
import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The field's baselines (mopps, greso, dapo, band, LILO's learnability) against hand-computed numbers:
 * their update rules, their picks on made-up histories, their filters, their settings' errors, and their
 * state through JSON.
 */
class FieldCuratorsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Problem problem(long id) {
        return new Problem(id, null, "q" + id + "=", "1", Map.of());
    }

    static List<Problem> problems(long... ids) {
        return Arrays.stream(ids).mapToObj(FieldCuratorsTest::problem).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> throughJson(Map<String, Object> state) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(state), Map.class);
    }

    // ---------------------------------------------------------------- mopps

    @Test
    void moppsPosteriorForgetsTowardThePrior() {
        // lambda 0.5, prior Beta(1, 1), from Beta(3, 5) after 3 of 4 right: alpha = 1.5 + 0.5 + 3, beta = 2.5 + 0.5 + 1
        assertArrayEquals(new double[] {5, 4}, MoppsCurator.update(3, 5, 3, 4, 0.5, 1, 1), 1e-12);
        assertArrayEquals(new double[] {4, 6}, MoppsCurator.update(3, 5, 1, 2, 1.0, 1, 1), 1e-12);  // no forgetting
        MoppsCurator c = new MoppsCurator(MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps?decay=0.5")));
        Problem p = problem(7);
        assertArrayEquals(new double[] {1, 1}, c.posterior(p), 0);
        c.observe(List.of(p), new int[] {3}, 4);                 // 0.5 + 0.5 + 3, 0.5 + 0.5 + 1
        assertArrayEquals(new double[] {4, 2}, c.posterior(p), 1e-12);
        c.observe(List.of(p), new int[] {0}, 4);                 // 2 + 0.5 + 0, 1 + 0.5 + 4
        assertArrayEquals(new double[] {2.5, 5.5}, c.posterior(p), 1e-12);
        assertArrayEquals(new double[] {1, 1}, c.posterior(problem(8)), 0, "per problem id, not per bucket");
    }

    @Test
    void betaSamplesHaveTheBetaMeanAndVariance() {
        Rng rng = new Rng(3);
        int n = 40_000;
        for (double[] ab : new double[][] {{2, 5}, {0.5, 0.5}, {30, 10}}) {
            double s = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double x = MoppsCurator.sampleBeta(ab[0], ab[1], rng);
                assertTrue(x >= 0 && x <= 1);
                s += x;
                ss += x * x;
            }
            double a = ab[0];
            double b = ab[1];
            double mean = a / (a + b);
            double var = a * b / ((a + b) * (a + b) * (a + b + 1));
            assertEquals(mean, s / n, 0.01, Arrays.toString(ab));
            assertEquals(var, ss / n - (s / n) * (s / n), 0.1 * var, Arrays.toString(ab));
        }
    }

    @Test
    void moppsPicksTheSampledRatesNearestTheTarget() {
        assertArrayEquals(new int[] {2, 0}, MoppsCurator.nearest(new double[] {0.3, 0.95, 0.52, 0.05}, 0.5, 2));
        assertArrayEquals(new int[] {1, 3}, MoppsCurator.nearest(new double[] {0.3, 0.75, 0.52, 0.75}, 0.9, 2), "ties: the lower index");
        MoppsCurator c = new MoppsCurator(MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps?decay=1&target=0.5")));
        List<Problem> ps = problems(0, 1, 2, 3);
        for (int i = 0; i < 50; i++) {                          // posteriors concentrated at 1, 0.5, 0, 0.25
            c.observe(ps, new int[] {20, 10, 0, 5}, 20);
        }
        assertArrayEquals(new int[] {1, 3}, c.pick(0, ps, 2, new Rng(0)));
        MoppsCurator low = new MoppsCurator(MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps?decay=1&target=0.1")));
        for (int i = 0; i < 50; i++) {
            low.observe(ps, new int[] {20, 10, 0, 5}, 20);
        }
        assertArrayEquals(new int[] {2, 3}, low.pick(0, ps, 2, new Rng(0)), "nearest 0.1: p = 0, then 0.25");
    }

    @Test
    void moppsStateThroughJsonGivesTheSamePicks() throws Exception {
        MoppsCurator a = new MoppsCurator(MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps")));
        List<Problem> ps = problems(0, 1, 2, 3, 4, 5);
        a.observe(ps, new int[] {0, 1, 2, 3, 4, 4}, 4);
        MoppsCurator b = new MoppsCurator(MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps")));
        b.restore(throughJson(a.save()));
        Rng ra = new Rng(9);
        Rng rb = new Rng(9);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(a.pick(k, ps, 3, ra), b.pick(k, ps, 3, rb));
        }
    }

    // ---------------------------------------------------------------- greso

    @Test
    void gresoSkipsWithProbabilityOneMinusExploreToTheZ() {
        assertEquals(0, GresoCurator.skipProbability(0, 0.5), 0);
        assertEquals(0.5, GresoCurator.skipProbability(1, 0.5), 1e-12);
        assertEquals(0.875, GresoCurator.skipProbability(3, 0.5), 1e-12);
        assertEquals(0.3, GresoCurator.adapt(0.31, 0.4, 0.125, 0.01, 0.05), 1e-12);   // too many: explore less
        assertEquals(0.32, GresoCurator.adapt(0.31, 0.1, 0.125, 0.01, 0.05), 1e-12);  // too few: explore more
        assertEquals(0.05, GresoCurator.adapt(0.05, 1.0, 0.125, 0.01, 0.05), 1e-12);
        assertEquals(1, GresoCurator.adapt(1, 0, 0.125, 0.01, 0.05), 1e-12);
    }

    @Test
    void gresoCountsTrailingZeroVarianceGroupsPerTypeAndAdaptsExplore() {
        GresoCurator c = new GresoCurator(GresoCurator.Settings.from(new StrategySpec("--curator", "greso?explore=0.5&delta=0.1&target=0.5")));
        Problem easy = problem(0);
        Problem hard = problem(1);
        Problem mixed = problem(2);
        c.observe(List.of(easy, hard, mixed), new int[] {4, 0, 2}, 4);
        // shares: easy 1/3 > 0.25 -> 0.4; hard 1/3 > 0.25 -> 0.4
        assertEquals(0.6, c.skipProbability(easy), 1e-12);       // z = 1: 1 - 0.4
        assertEquals(0.6, c.skipProbability(hard), 1e-12);
        assertEquals(0, c.skipProbability(mixed), 0);
        c.observe(List.of(easy, hard), new int[] {4, 1}, 4);     // easy z = 2 (share 1/2 -> 0.3); hard resets (share 0 -> 0.5)
        assertEquals(1 - 0.3 * 0.3, c.skipProbability(easy), 1e-12);
        assertEquals(0, c.skipProbability(hard), 0);
        assertEquals(0.3, (Double) c.metrics().get("greso_explore_easy"), 1e-12);
        assertEquals(0.5, (Double) c.metrics().get("greso_explore_hard"), 1e-12);
    }

    @Test
    void gresoPicksTheFirstNotSkippedAndFillsFromTheSkipped() throws Exception {
        GresoCurator c = new GresoCurator(GresoCurator.Settings.from(new StrategySpec("--curator", "greso?explore=0&delta=0")));
        List<Problem> ps = problems(0, 1, 2, 3, 4);
        c.observe(problems(1, 3), new int[] {4, 0}, 4);           // explore 0: 1 and 3 always skipped
        assertArrayEquals(new int[] {0, 2, 4}, c.pick(0, ps, 3, new Rng(0)));
        assertEquals(2, c.metrics().get("greso_skipped"));
        assertArrayEquals(new int[] {0, 2, 4, 1}, c.pick(0, ps, 4, new Rng(0)), "too few: the skipped fill in order");
        GresoCurator never = new GresoCurator(GresoCurator.Settings.from(new StrategySpec("--curator", "greso?explore=1&delta=0")));
        never.observe(problems(1, 3), new int[] {4, 0}, 4);
        assertArrayEquals(new int[] {0, 1, 2}, never.pick(0, ps, 3, new Rng(0)), "explore 1: nothing skipped");
        GresoCurator back = new GresoCurator(GresoCurator.Settings.from(new StrategySpec("--curator", "greso?explore=0&delta=0")));
        back.restore(throughJson(c.save()));
        assertArrayEquals(c.pick(1, ps, 3, new Rng(4)), back.pick(1, ps, 3, new Rng(4)));
        assertEquals(c.skipProbability(problem(1)), back.skipProbability(problem(1)), 0);
    }

    // ---------------------------------------------------------------- dapo, band

    @Test
    void dapoKeepsGroupsWithVarianceAndBandKeepsItsPassRates() {
        DapoCurator d = new DapoCurator(DapoCurator.Settings.from(new StrategySpec("--curator", "dapo?gen-batch=12&max-gen-batches=3"), 8));
        assertEquals(12, d.filter().promptsPerRound(8));
        assertEquals(3, d.filter().maxRounds());
        assertFalse(d.keep(0, 4));
        assertTrue(d.keep(1, 4));
        assertTrue(d.keep(3, 4));
        assertFalse(d.keep(4, 4));
        assertEquals(Map.of("gen-batch", 8, "max-gen-batches", 4),
                new DapoCurator(DapoCurator.Settings.from(new StrategySpec("--curator", "dapo"), 8)).settings(), "defaults: B and 4 rounds");
        BandCurator b = new BandCurator(BandCurator.Settings.from(new StrategySpec("--curator", "band"), 8));
        assertEquals(1, b.filter().maxRounds());
        boolean[] kept = new boolean[11];
        for (int s = 0; s <= 10; s++) {
            kept[s] = b.keep(s, 10);
        }
        assertArrayEquals(new boolean[] {false, false, true, true, true, true, true, true, true, false, false}, kept, "[0.2, 0.8] of 10");
        assertFalse(new BandCurator(BandCurator.Settings.from(new StrategySpec("--curator", "band?lo=0.3&hi=0.7"), 8)).keep(1, 4));
        assertTrue(new BandCurator(BandCurator.Settings.from(new StrategySpec("--curator", "band?lo=0.25&hi=0.25"), 8)).keep(1, 4), "bounds included");
        assertSame(GroupFilter.KEEP_ALL, new UniformCurator().filter());
    }

    static void assertSame(Object a, Object b) {
        org.junit.jupiter.api.Assertions.assertSame(a, b);
    }

    @Test
    void settingsFailInOneLineNamingTheKey() {
        RlConfig cfg = RlConfig.builder().candidates(16).batch(4).build();
        assertEquals("--curator dapo?gen-batch=20: gen-batch (20) must be <= --candidates (16)", assertThrows(UserError.class,
                () -> Curators.create(cfg.toBuilder().curator("dapo?gen-batch=20").build(), null, null, null)).getMessage());
        assertEquals("--curator band: lo (0.9) must be <= hi (0.8)", assertThrows(UserError.class,
                () -> BandCurator.Settings.from(new StrategySpec("--curator", "band?lo=0.9"), 4)).getMessage());
        assertTrue(assertThrows(UserError.class, () -> MoppsCurator.Settings.from(new StrategySpec("--curator", "mopps?lambda=0.5"))).getMessage()
                .startsWith("--curator mopps?lambda=0.5: unknown setting 'lambda' of mopps (expected one of alpha0, beta0, decay, key, target)"));
        assertEquals("--curator greso?key=family: key must be one of bucket, problem, got 'family'", assertThrows(UserError.class,
                () -> GresoCurator.Settings.from(new StrategySpec("--curator", "greso?key=family"))).getMessage());
        assertEquals("--curator learnability?probes=0: probes must be an integer >= 1, got '0'", assertThrows(UserError.class,
                () -> LearnabilityCurator.Settings.from(new StrategySpec("--curator", "learnability?probes=0"))).getMessage());
        assertTrue(assertThrows(UserError.class, () -> Curators.create(cfg.toBuilder().curator("learnability-history?decay=1").build(),
                null, null, null)).getMessage().contains("learnability-history takes no settings, got 'decay'"));
    }

    // ---------------------------------------------------------------- learnability (LILO)

    /** Success rates from a table by problem id; records each call's problems and rollouts. */
    static final class TableProbe implements Curator.Probe {
        final Map<Long, Double> rates;
        final List<String> calls = new ArrayList<>();

        TableProbe(Map<Long, Double> rates) {
            this.rates = rates;
        }

        @Override
        public double[] successRates(List<Problem> problems, int rollouts) {
            calls.add(problems.size() + "x" + rollouts);
            return problems.stream().mapToDouble(p -> rates.get(p.id())).toArray();
        }
    }

    @Test
    void learnabilityProbesEveryCandidateAndTakesTheTopPTimesOneMinusP() {
        TableProbe probe = new TableProbe(Map.of(0L, 1.0, 1L, 0.25, 2L, 0.5, 3L, 0.0, 4L, 0.75, 5L, 0.5));
        LearnabilityCurator c = new LearnabilityCurator(LearnabilityCurator.Settings.from(new StrategySpec("--curator", "learnability?probes=4")), probe);
        int[] pick = c.pick(0, problems(0, 1, 2, 3, 4, 5), 3, new Rng(1));
        assertEquals(List.of("6x4"), probe.calls);
        Arrays.sort(pick, 0, 2);
        assertArrayEquals(new int[] {2, 5}, Arrays.copyOf(pick, 2), "p = 0.5 scores 0.25, the highest");
        assertTrue(pick[2] == 1 || pick[2] == 4, "then 0.1875 (p = 0.25 or 0.75): " + Arrays.toString(pick));
        assertEquals((0.25 + 0.25 + 0.1875) / 3, (Double) c.metrics().get("curator_mean_learnability"), 1e-12);
        assertEquals(2.0 / 6, (Double) c.metrics().get("learnability_candidates_zero_share"), 1e-12);
        // ties broken by a random order: both of p = 0.25 and 0.75 come third over seeds
        java.util.Set<Integer> thirds = new java.util.HashSet<>();
        for (int s = 0; s < 20; s++) {
            thirds.add(c.pick(0, problems(0, 1, 2, 3, 4, 5), 3, new Rng(s))[2]);
        }
        assertEquals(java.util.Set.of(1, 4), thirds);
        assertArrayEquals(new int[] {2, 0}, LearnabilityCurator.top(new double[] {0.1, 0, 0.2}, new int[] {1, 0, 2}, 2));
    }

    @Test
    void learnabilityRefusesTheHistoryVariantsCheckpoint() {
        LearnabilityHistoryCurator old = new LearnabilityHistoryCurator();
        old.observe(problems(0), new int[] {1}, 4);
        LearnabilityCurator now = new LearnabilityCurator(LearnabilityCurator.Settings.from(new StrategySpec("--curator", "learnability")), null);
        assertTrue(assertThrows(UserError.class, () -> now.restore(old.save())).getMessage().contains("now called learnability-history"));
    }
}
