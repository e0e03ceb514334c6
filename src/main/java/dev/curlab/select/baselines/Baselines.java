package dev.curlab.select.baselines;

import dev.curlab.select.Selectors;

/** Registers the baseline selectors with {@link dev.curlab.select.Selectors}. */
public final class Baselines {
    private Baselines() {
    }

    public static void registerAll() {
        Selectors.register("stratified", "every source equally: the least-picked source present, then a uniform window of it (labels)",
                c -> new StratifiedSelector(c.seed(), c.settings().selectBatch()));
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
        Selectors.register("greats", "greedy batch by first-order held-out loss drop on the head (Wang et al. 2024)",
                c -> {
                    double eta = c.settings().baselines().greatsLr();
                    GreatsSelector.requireGramFits(c.settings().selectBatch(), c.candidates(), c.model());
                    return new GreatsSelector(c.settings().selectBatch(),
                            eta > 0 ? eta : ((Number) c.train().get("lr")).doubleValue());
                });
        Selectors.register("odm", "EXP3 over sources with the training loss as reward (Albalak et al. 2023; labels)",
                c -> new OdmSelector(c.seed(), c.settings().selectBatch()));
        Selectors.register("skill-it", "skills mixture by a skills graph and the target skills' losses (Chen et al. 2023; labels)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new SkillItSelector(c.seed(), c.settings().selectBatch(), b.skillItEta(), b.skillItRound(),
                            b.skillItGraph(), c.heldout());
                });
        Selectors.register("easy-to-hard", "difficulty levels in equal stages, easiest first (needs difficulty labels)",
                c -> new EasyToHardSelector(c.seed(), c.settings().selectBatch(), c.settings().baselines().competenceHorizon(c.steps())));
        Selectors.register("oracle-mixture", "REFERENCE ONLY: held-out target's source shares (labels)",
                c -> new OracleMixtureSelector(c.seed(), c.settings().selectBatch(), c.target()));
    }
}
