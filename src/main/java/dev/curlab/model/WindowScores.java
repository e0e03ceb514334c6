package dev.curlab.model;

import ai.djl.ndarray.NDArray;

/**
 * What one scoring pass yields per window.
 *
 * @param loss    mean next-token cross-entropy (nats per token)
 * @param entropy mean predictive entropy (nats per token), or {@code null} when not requested
 * @param hidden  final-LayerNorm hidden state at the last input position, (B, C), detached; in the
 *                step manager of the call; {@code null} when not requested
 */
public record WindowScores(float[] loss, float[] entropy, NDArray hidden) {
}
