package dev.curlab.rl;

import dev.curlab.util.Rng;
import java.util.List;
import java.util.Map;

/**
 * Chooses which of N candidate problems the policy practises on this step (step 2 of the loop) and
 * hears how it went (step 5). The loop never asks which curator it has. State that must survive a
 * resume goes through {@link #save()} and {@link #restore(Map)} (JSON values only).
 */
public interface Curator {

    String name();

    /** Indices of the {@code b} picked candidates (distinct), in pick order. */
    int[] pick(long step, List<Problem> candidates, int b, Rng rng);

    /**
     * The outcome of the picked problems: {@code successes[i]} of {@code g} rollouts were right. Called
     * after the step's policy update, once per generation round (one round unless {@link #filter()} backfills).
     */
    void observe(List<Problem> picked, int[] successes, int g);

    /** Which generated groups enter the update, and how many generation rounds a step may take ({@link GroupFilter}). */
    default GroupFilter filter() {
        return GroupFilter.KEEP_ALL;
    }

    /** Values this curator adds to the step's metrics line (e.g. its estimates of the picks' p). */
    default Map<String, Object> metrics() {
        return Map.of();
    }

    /** This curator's settings with their defaults resolved, printed at the start of a run and saved in config.json. */
    default Map<String, Object> settings() {
        return Map.of();
    }

    /**
     * FLOPs this curator spent on its own computation (e.g. a scorer network's passes) since the last
     * call, which resets the count; the trainer adds them to the curator's charge each step.
     */
    default double takeOwnFlops() {
        return 0;
    }

    Map<String, Object> save();

    void restore(Map<String, Object> state);

    /**
     * The policy's view of problems for curators that read it: the final-LayerNorm hidden state of
     * each prompt's last token from one no-grad pass (detached), its forward tokens charged to the curator.
     */
    interface PromptStates {
        /** (problems, d_model) hidden states, row i for problem i. */
        float[][] hidden(List<Problem> problems);
    }

    /**
     * What a curator may ask of the current policy outside the training batch: probe rollouts (their
     * compute charged as probes, {@code flops_probes}) and no-grad passes (charged to the curator).
     */
    interface Probe {
        /** Success rate of each problem over {@code rollouts} sampled completions. */
        double[] successRates(List<Problem> problems, int rollouts);

        /** The current policy's detached last-token hidden state of each prompt (P * C), charged to the curator. */
        default float[] promptHidden(List<Problem> problems) {
            throw new UnsupportedOperationException("this probe reads no hidden states");
        }

        /** Width C of {@link #promptHidden}'s rows. */
        default int hiddenDim() {
            throw new UnsupportedOperationException("this probe reads no hidden states");
        }

        /** The current policy's mean log-probability per token of each reference answer after its prompt, charged. */
        default double[] answerLogProb(List<Problem> problems) {
            throw new UnsupportedOperationException("this probe reads no log-probabilities");
        }
    }
}
