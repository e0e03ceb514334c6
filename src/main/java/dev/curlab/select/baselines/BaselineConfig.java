package dev.curlab.select.baselines;

import dev.curlab.util.UserCache;
import dev.curlab.util.UserError;
import java.util.List;

/**
 * Options of the baseline selectors, every default in {@link #DEFAULT}. A temperature of 0 means
 * "take the top-scoring candidates"; a positive one samples from softmax(score / T).
 *
 * @param lossTemperature        loss: softmax temperature over candidate losses (0 = highest loss)
 * @param uncertaintyTemperature uncertainty: softmax temperature over mean entropies (0 = highest)
 * @param competenceC0           competence: initial competence c0 in (0, 1]
 * @param competenceSteps        competence: steps T until full competence (0 = the run's steps)
 * @param competenceDifficulty   competence: label (the windows' difficulty tags), rarity (mean -log unigram
 *                               frequency of the tokens) or auto (label if the first step's windows all carry one)
 * @param ilSteps                rho-loss: AdamW steps that train the irreducible-loss model
 * @param ilBatch                rho-loss: windows per irreducible-loss training step
 * @param ilCache                rho-loss and soft-q's prior: directory where trained irreducible-loss models are
 *                               cached (default: {@code $XDG_CACHE_HOME/curlab/il-models}, else {@code ~/.cache/curlab/il-models})
 * @param rhoTemperature         rho-loss: softmax temperature over reducible losses (0 = highest)
 * @param alpWindow              alp-bandit: per-source history entries in each half (recent, older)
 * @param alpTemperature         alp-bandit: softmax temperature over absolute learning progress
 * @param alpEpsilon             alp-bandit: share of uniform exploration over sources
 * @param greatsLr               greats: step size eta of its Taylor expansion (0 = the run's --lr; matters for B > 1 only)
 * @param skillItEta             skill-it: eta of the multiplicative mixture update
 * @param skillItRound           skill-it: steps per round (the mixture is updated after each)
 * @param skillItGraph           skill-it: the skills graph A, known (the generator's prerequisites) or identity
 * @param ilModel                rho-loss and soft-q's prior: model preset of the irreducible-loss model ("" = the run's
 *                               --model; a smaller one makes selection cheaper: RHO-LOSS's authors use small IL models)
 */
public record BaselineConfig(double lossTemperature, double uncertaintyTemperature,
                             double competenceC0, long competenceSteps, String competenceDifficulty,
                             int ilSteps, int ilBatch, String ilCache, double rhoTemperature,
                             int alpWindow, double alpTemperature, double alpEpsilon, double greatsLr,
                             double skillItEta, int skillItRound, String skillItGraph, String ilModel) {

    public static final List<String> COMPETENCE_DIFFICULTIES = List.of("auto", "label", "rarity");
    public static final List<String> SKILL_IT_GRAPHS = List.of("known", "identity");

    /** The defaults; the IL cache is the user's ({@link UserCache#ilModels()}), never the working directory. */
    public static final BaselineConfig DEFAULT = new BaselineConfig(0, 0, 0.01, 0, "auto", 300, 8, UserCache.ilModels().toString(), 0,
            10, 0.1, 0.2, 0, 0.5, 50, "known", "");

    public BaselineConfig {
        if (competenceDifficulty == null) { // a run saved before the option existed
            competenceDifficulty = "auto";
        }
        if (skillItGraph == null) { // a run saved before skill-it existed
            skillItEta = 0.5;
            skillItRound = 50;
            skillItGraph = "known";
        }
        if (ilModel == null) { // a run saved before --il-model existed: the run's shape
            ilModel = "";
        }
        UserError.require(ilModel.isEmpty() || dev.curlab.model.GptConfig.PRESETS.contains(ilModel),
                "--il-model: expected one of " + String.join(", ", dev.curlab.model.GptConfig.PRESETS) + " (or empty for the run's --model), got '"
                        + ilModel + "'");
        temperature("--loss-temperature", lossTemperature);
        temperature("--uncertainty-temperature", uncertaintyTemperature);
        temperature("--rho-temperature", rhoTemperature);
        UserError.require(competenceC0 > 0 && competenceC0 <= 1, "--competence-c0 must be in (0, 1], got " + competenceC0);
        UserError.require(competenceSteps >= 0, "--competence-steps must be >= 1 (or 0 for the run's steps), got " + competenceSteps);
        UserError.require(COMPETENCE_DIFFICULTIES.contains(competenceDifficulty),
                "--competence-difficulty: expected auto, label or rarity, got '" + competenceDifficulty + "'");
        UserError.require(ilSteps >= 1, "--il-steps must be >= 1, got " + ilSteps);
        UserError.require(ilBatch >= 1, "--il-batch must be >= 1, got " + ilBatch);
        UserError.require(ilCache != null && !ilCache.isBlank(), "--il-cache must be a directory path");
        UserError.require(alpWindow >= 1 && alpWindow <= Integer.MAX_VALUE / 2,
                "--alp-window must be in [1, " + Integer.MAX_VALUE / 2 + "] (2W losses are kept per source), got " + alpWindow);
        UserError.require(alpTemperature > 0 && Double.isFinite(alpTemperature),
                "--alp-temperature must be a positive number, got " + alpTemperature);
        UserError.require(alpEpsilon >= 0 && alpEpsilon <= 1, "--alp-epsilon must be in [0, 1], got " + alpEpsilon);
        UserError.require(greatsLr >= 0 && Double.isFinite(greatsLr),
                "--greats-lr must be a number >= 0 (0 = the run's --lr), got " + greatsLr);
        UserError.require(skillItEta >= 0 && Double.isFinite(skillItEta), "--skillit-eta must be a number >= 0, got " + skillItEta);
        UserError.require(skillItRound >= 1, "--skillit-round must be >= 1 step, got " + skillItRound);
        UserError.require(SKILL_IT_GRAPHS.contains(skillItGraph),
                "--skillit-graph: expected known or identity, got '" + skillItGraph + "'");
    }

    /** The options before greats's step size existed (greatsLr 0: the run's --lr). */
    public BaselineConfig(double lossTemperature, double uncertaintyTemperature, double competenceC0, long competenceSteps,
                          String competenceDifficulty, int ilSteps, int ilBatch, String ilCache, double rhoTemperature,
                          int alpWindow, double alpTemperature, double alpEpsilon) {
        this(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty, ilSteps, ilBatch,
                ilCache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, 0);
    }

    /** The options before skill-it existed (its defaults). */
    public BaselineConfig(double lossTemperature, double uncertaintyTemperature, double competenceC0, long competenceSteps,
                          String competenceDifficulty, int ilSteps, int ilBatch, String ilCache, double rhoTemperature,
                          int alpWindow, double alpTemperature, double alpEpsilon, double greatsLr) {
        this(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty, ilSteps, ilBatch,
                ilCache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, greatsLr, 0.5, 50, "known", "");
    }

    /** The options before --il-model existed (an IL model of the run's shape). */
    public BaselineConfig(double lossTemperature, double uncertaintyTemperature, double competenceC0, long competenceSteps,
                          String competenceDifficulty, int ilSteps, int ilBatch, String ilCache, double rhoTemperature,
                          int alpWindow, double alpTemperature, double alpEpsilon, double greatsLr,
                          double skillItEta, int skillItRound, String skillItGraph) {
        this(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty, ilSteps, ilBatch,
                ilCache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, greatsLr, skillItEta, skillItRound, skillItGraph, "");
    }

    /** The same options with another irreducible-loss training length and cache directory. */
    public BaselineConfig withIlModel(int steps, String cache) {
        return new BaselineConfig(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty,
                steps, ilBatch, cache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, greatsLr,
                skillItEta, skillItRound, skillItGraph, ilModel);
    }

    /** The same options with another irreducible-loss model preset ("" = the run's). */
    public BaselineConfig withIlPreset(String preset) {
        return new BaselineConfig(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty,
                ilSteps, ilBatch, ilCache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, greatsLr,
                skillItEta, skillItRound, skillItGraph, preset);
    }

    /** Steps until full competence for a run of {@code runSteps} steps. */
    public long competenceHorizon(long runSteps) {
        return competenceSteps > 0 ? competenceSteps : runSteps;
    }

    private static void temperature(String option, double t) {
        UserError.require(t >= 0 && Double.isFinite(t), option + " must be a number >= 0 (0 = take the top score), got " + t);
    }

}
