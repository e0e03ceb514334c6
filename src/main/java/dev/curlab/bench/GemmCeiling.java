package dev.curlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The machine's ceiling for our purposes: a large fp32 matrix product through the same engine and
 * thread settings the training uses, 2 n^3 FLOPs per product.
 */
public final class GemmCeiling {
    private GemmCeiling() {
    }

    /** Best and median GFLOP/s over {@code reps} products of two n x n matrices (after one warm-up). */
    public record Result(int n, double bestGflops, double medianGflops) {
    }

    public static Result measure(int n, int reps) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
            a.matMul(b).close(); // warm-up
            double[] gflops = new double[reps];
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // the engine computes eagerly; this only confirms the result exists
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                gflops[i] = 2.0 * n * n * (double) n / sec / 1e9;
            }
            Arrays.sort(gflops);
            return new Result(n, gflops[reps - 1], gflops[reps / 2]);
        }
    }
}
