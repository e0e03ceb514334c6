package dev.curlab.cli;

import dev.curlab.select.baselines.BaselineConfig;
import picocli.CommandLine.Option;

/** Command-line options of the baseline selectors; defaults from {@link BaselineConfig#DEFAULT}. */
final class BaselineOptions {
    private static final BaselineConfig D = BaselineConfig.DEFAULT;

    @Option(names = "--loss-temperature", paramLabel = "T",
            description = "loss: sample from softmax(loss/T) instead of taking the highest loss (default: 0 = highest).")
    double lossTemperature = D.lossTemperature();

    @Option(names = "--uncertainty-temperature", paramLabel = "T",
            description = "uncertainty: sample from softmax(entropy/T) (default: 0 = highest entropy).")
    double uncertaintyTemperature = D.uncertaintyTemperature();

    @Option(names = "--competence-c0", paramLabel = "C0", description = "competence: initial competence c0 in (0, 1] (default: 0.01).")
    double competenceC0 = D.competenceC0();

    @Option(names = "--competence-steps", paramLabel = "T",
            description = "competence: steps until full competence (default: the run's --steps).")
    long competenceSteps = D.competenceSteps();

    @Option(names = "--competence-difficulty", paramLabel = "MODE",
            description = "competence: difficulty from the windows' 'difficulty' label, from token rarity (mean -log unigram "
                    + "frequency), or auto: label if the first step's windows all carry one, else rarity (default: auto).")
    String competenceDifficulty = D.competenceDifficulty();

    @Option(names = "--il-steps", paramLabel = "K", description = "rho-loss and soft-q's prior: training steps of the irreducible-loss model (default: 300).")
    int ilSteps = D.ilSteps();

    @Option(names = "--il-batch", paramLabel = "B", description = "rho-loss and soft-q's prior: windows per irreducible-loss training step (default: 8).")
    int ilBatch = D.ilBatch();

    @Option(names = "--il-cache", paramLabel = "DIR",
            description = "rho-loss and soft-q's prior: cache of trained irreducible-loss models (default: $XDG_CACHE_HOME/curlab/il-models, else ~/.cache/curlab/il-models).")
    String ilCache = D.ilCache();

    @Option(names = "--il-model", paramLabel = "PRESET",
            description = "rho-loss and soft-q's prior: model preset of the irreducible-loss model, e.g. pico, a cheaper IL "
                    + "model (default: the run's --model).")
    String ilModel = D.ilModel();

    @Option(names = "--rho-temperature", paramLabel = "T",
            description = "rho-loss: sample from softmax(reducible loss/T) (default: 0 = highest).")
    double rhoTemperature = D.rhoTemperature();

    @Option(names = "--alp-window", paramLabel = "W",
            description = "alp-bandit: per-source loss history of 2W steps, recent vs older half (default: 10).")
    int alpWindow = D.alpWindow();

    @Option(names = "--alp-temperature", paramLabel = "T", description = "alp-bandit: softmax temperature over learning progress (default: 0.1).")
    double alpTemperature = D.alpTemperature();

    @Option(names = "--alp-epsilon", paramLabel = "EPS", description = "alp-bandit: share of uniform exploration over sources (default: 0.2).")
    double alpEpsilon = D.alpEpsilon();

    @Option(names = "--greats-lr", paramLabel = "ETA",
            description = "greats: step size eta of the Taylor expansion, weighing the picks' interaction eta^2 <g_i, g_j> "
                    + "against the gain eta <g_x, g_D> when --select-batch > 1 (default: 0 = the run's --lr).")
    double greatsLr = D.greatsLr();

    @Option(names = "--skillit-eta", paramLabel = "ETA",
            description = "skill-it: eta of the mixture update p_i ∝ exp(eta sum_j A_ij L_j) (default: 0.5).")
    double skillItEta = D.skillItEta();

    @Option(names = "--skillit-round", paramLabel = "K", description = "skill-it: steps per round; the mixture is updated after each (default: 50).")
    int skillItRound = D.skillItRound();

    @Option(names = "--skillit-graph", paramLabel = "GRAPH",
            description = "skill-it: skills graph A: known (builtin:skills' prerequisites, 0.5 per edge) or identity (default: known).")
    String skillItGraph = D.skillItGraph();

    BaselineConfig toConfig() {
        return new BaselineConfig(lossTemperature, uncertaintyTemperature, competenceC0, competenceSteps, competenceDifficulty,
                ilSteps, ilBatch, ilCache, rhoTemperature, alpWindow, alpTemperature, alpEpsilon, greatsLr,
                skillItEta, skillItRound, skillItGraph, ilModel);
    }
}
