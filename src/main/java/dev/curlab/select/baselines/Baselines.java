package dev.curlab.select.baselines;

import dev.curlab.select.Selectors;

/** Registers the baseline selectors with {@link dev.curlab.select.Selectors}. */
public final class Baselines {
    private Baselines() {
    }

    public static void registerAll() {
        Selectors.register("loss", "highest-loss candidates (softmax(loss/T) with --loss-temperature T)",
                c -> new LossSelector(c.seed(), c.settings().selectBatch(), c.settings().baselines().lossTemperature()));
        Selectors.register("uncertainty", "highest mean predictive entropy (--uncertainty-temperature T to sample)",
                c -> new UncertaintySelector(c.seed(), c.settings().selectBatch(),
                        c.settings().baselines().uncertaintyTemperature()));
        Selectors.register("competence", "Platanios et al. 2019: difficulty percentile <= c(t); needs difficulty labels",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new CompetenceSelector(c.seed(), c.settings().selectBatch(), b.competenceC0(),
                            b.competenceHorizon(c.steps()));
                });
        Selectors.register("rho-loss", "Mindermann et al. 2022: loss minus irreducible loss of a held-out-trained model",
                RhoLossSelector::new);
        Selectors.register("alp-bandit", "teacher over sources by absolute learning progress; needs source labels",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new AlpBanditSelector(c.seed(), c.settings().selectBatch(), b.alpWindow(),
                            b.alpTemperature(), b.alpEpsilon());
                });
        Selectors.register("oracle-mixture", "REFERENCE ONLY: samples sources in the held-out target's shares (reads labels)",
                c -> new OracleMixtureSelector(c.seed(), c.settings().selectBatch(), c.target()));
    }
}
