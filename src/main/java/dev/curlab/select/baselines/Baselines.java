package dev.curlab.select.baselines;

import dev.curlab.select.Selector;
import dev.curlab.select.SelectorContext;
import dev.curlab.util.Registry;
import java.util.List;

/** The baseline selectors, listed for the selector catalogue ({@code select.catalog.Selectors}). */
public final class Baselines {
    private Baselines() {
    }

    public static List<Registry.Entry<SelectorContext, Selector>> entries() {
        return List.of(
                Registry.entry("stratified", "every source equally: the least-picked source present, then a uniform window of it (labels)",
                c -> new StratifiedSelector(c.seed(), c.settings().selectBatch())),
                Registry.entry("loss", "highest current loss (--loss-temperature T samples)",
                c -> new ScoreSelector(ScoreSelector.Score.LOSS, c.seed(), c.settings().selectBatch(), c.settings().baselines().lossTemperature())),
                Registry.entry("uncertainty", "highest mean predictive entropy",
                c -> new ScoreSelector(ScoreSelector.Score.ENTROPY, c.seed(), c.settings().selectBatch(),
                        c.settings().baselines().uncertaintyTemperature())),
                Registry.entry("competence", "easy to hard by difficulty label or token rarity (Platanios et al. 2019)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new CompetenceSelector(c.seed(), c.settings().selectBatch(), b.competenceC0(),
                            b.competenceHorizon(c.steps()), b.competenceDifficulty(), c.model().vocab());
                }),
                Registry.entry("rho-loss", "loss minus irreducible loss (Mindermann et al. 2022)",
                RhoLossSelector::new),
                Registry.entry("alp-bandit", "sources by absolute learning progress (needs source labels)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new AlpBanditSelector(c.seed(), c.settings().selectBatch(), b.alpWindow(),
                            b.alpTemperature(), b.alpEpsilon());
                }),
                Registry.entry("greats", "greedy batch by first-order held-out loss drop on the head (Wang et al. 2024)",
                c -> {
                    double eta = c.settings().baselines().greatsLr();
                    GreatsSelector.requireGramFits(c.settings().selectBatch(), c.candidates(), c.model());
                    return new GreatsSelector(c.settings().selectBatch(),
                            eta > 0 ? eta : ((Number) c.train().get("lr")).doubleValue());
                }),
                Registry.entry("odm", "EXP3 over sources with the training loss as reward (Albalak et al. 2023; labels)",
                c -> new OdmSelector(c.seed(), c.settings().selectBatch())),
                Registry.entry("skill-it", "skills mixture by a skills graph and the target skills' losses (Chen et al. 2023; labels)",
                c -> {
                    BaselineConfig b = c.settings().baselines();
                    return new SkillItSelector(c.seed(), c.settings().selectBatch(), b.skillItEta(), b.skillItRound(),
                            b.skillItGraph(), c.heldout());
                }),
                Registry.entry("easy-to-hard", "difficulty levels in equal stages, easiest first (needs difficulty labels)",
                c -> new EasyToHardSelector(c.seed(), c.settings().selectBatch(), c.settings().baselines().competenceHorizon(c.steps()))),
                Registry.entry("oracle-mixture", "REFERENCE ONLY: held-out target's source shares (labels)",
                c -> new OracleMixtureSelector(c.seed(), c.settings().selectBatch(), c.target())));
    }
}
