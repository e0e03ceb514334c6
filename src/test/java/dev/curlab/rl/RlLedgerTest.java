package dev.curlab.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's comparisons at equal steps, rollouts and FLOPs, on hand-made evaluation curves. */
class RlLedgerTest {

    static RlLedger.Totals run(long seed, double... stepRolloutsFlopsAcc) {
        List<RlLedger.Point> evals = new java.util.ArrayList<>();
        for (int i = 0; i < stepRolloutsFlopsAcc.length; i += 4) {
            evals.add(new RlLedger.Point((long) stepRolloutsFlopsAcc[i], stepRolloutsFlopsAcc[i + 1], stepRolloutsFlopsAcc[i + 2],
                    stepRolloutsFlopsAcc[i + 3]));
        }
        RlLedger.Point last = evals.get(evals.size() - 1);
        return new RlLedger.Totals(seed, last.step(), last.step(), (long) last.rollouts(), 0, 0, 0, last.flops(), 0, 0, 0, 0, 0, evals);
    }

    @Test
    void passAtABudgetIsTheLastEvaluationWithinIt() {
        List<RlLedger.Point> e = run(0, 0, 0, 0, 0.1, 10, 100, 5, 0.2, 20, 300, 9, 0.4).evals();
        assertEquals(0.2, RlLedger.accAt(e, RlLedger.Point::rollouts, 250), 0);
        assertEquals(0.4, RlLedger.accAt(e, RlLedger.Point::rollouts, 300), 0);
        assertEquals(0.1, RlLedger.accAt(e, RlLedger.Point::flops, 4.9), 0);
        assertEquals(Double.NaN, RlLedger.accAt(e, RlLedger.Point::step, -1), 0);
    }

    @Test
    void pairedDifferencesAtEqualStepsRolloutsAndFlops() {
        // the curator spends 3x the rollouts per step (dapo-like): ahead at equal steps, behind at equal rollouts
        List<RlLedger.Totals> ref = List.of(run(0, 0, 0, 0, 0.1, 10, 100, 10, 0.2, 20, 200, 20, 0.3),
                run(1, 0, 0, 0, 0.1, 10, 100, 10, 0.25, 20, 200, 20, 0.35));
        List<RlLedger.Totals> cur = List.of(run(1, 0, 0, 0, 0.1, 10, 300, 30, 0.3, 20, 600, 60, 0.45),
                run(0, 0, 0, 0, 0.1, 10, 300, 30, 0.3, 20, 600, 60, 0.5));
        RlLedger.Paired[] p = RlLedger.paired(cur, ref);
        assertArrayEquals(new double[] {0.45 - 0.35, 0.5 - 0.3}, p[0].diffs(), 1e-12, "at step 20, seed by seed");
        assertArrayEquals(new double[] {0.1 - 0.35, 0.1 - 0.3}, p[1].diffs(), 1e-12, "at 200 rollouts: the curator's step-0 pass@1");
        assertArrayEquals(new double[] {0.1 - 0.35, 0.1 - 0.3}, p[2].diffs(), 1e-12, "at 20 FLOPs likewise");
        assertEquals(0.15, p[0].mean(), 1e-12);
        assertTrue(p[0].interval().lo() >= 0.1 - 1e-12 && p[0].interval().hi() <= 0.2 + 1e-12, p[0].toString());
        assertTrue(p[1].toString().endsWith("*"), "both seeds behind: the interval excludes 0: " + p[1]);
        Map<String, List<RlLedger.Totals>> by = new LinkedHashMap<>();
        by.put("uniform", ref);
        by.put("dapo", cur);
        String t = RlLedger.pairedMarkdown(by, "uniform");
        assertTrue(t.contains("| dapo | 2 | +0.150 ["), t);
        assertTrue(RlLedger.ledgerMarkdown(by).contains("| dapo | 2 | 20 | 20 | 600 |"), RlLedger.ledgerMarkdown(by));
    }
}
