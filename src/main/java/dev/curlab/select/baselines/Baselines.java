package dev.curlab.select.baselines;

import dev.curlab.select.Selectors;

/** Registers the baseline selectors with {@link dev.curlab.select.Selectors}. */
public final class Baselines {
    private Baselines() {
    }

    public static void registerAll() {
        Selectors.register("loss", "highest current loss (--loss-temperature T samples)",
                c -> new LossSelector(c.seed(), c.settings().selectBatch(), c.settings().baselines().lossTemperature()));
        Selectors.register("uncertainty", "highest mean predictive entropy",
                c -> new UncertaintySelector(c.seed(), c.settings().selectBatch(),
                        c.settings().baselines().uncertaintyTemperature()));
        Selectors.register("competence", "easy to hard by difficulty label or token rarity (Platanios et al. 2019)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new CompetenceSelector(c.seed(), c.settings().selectBatch(), b.competenceC0(),
                            b.competenceHorizon(c.steps()), b.competenceDifficulty(), c.model().vocab());
                });
        Selectors.register("rho-loss", "loss minus irreducible loss (Mindermann et al. 2022)",
                RhoLossSelector::new);
        Selectors.register("alp-bandit", "sources by absolute learning progress (needs source labels)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new AlpBanditSelector(c.seed(), c.settings().selectBatch(), b.alpWindow(),
                            b.alpTemperature(), b.alpEpsilon());
                });
        Selectors.register("oracle-mixture", "REFERENCE ONLY: held-out target's source shares (labels)",
                c -> new OracleMixtureSelector(c.seed(), c.settings().selectBatch(), c.target()));
    }
}
