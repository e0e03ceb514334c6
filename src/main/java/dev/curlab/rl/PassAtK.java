package dev.curlab.rl;

/**
 * The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on
 * Code", section 2.1): with n samples of a problem of which c are correct, the chance that k of them
 * drawn without replacement hold at least one correct is 1 - C(n-c, k) / C(n, k); pass@k is its mean
 * over problems. The ratio of binomials is computed as a product, which neither overflows nor loses
 * precision for large n.
 */
public final class PassAtK {
    private PassAtK() {
    }

    /** 1 - C(n-c, k) / C(n, k) = 1 - prod_{i=n-c+1}^{n} (1 - k/i) (Chen et al. 2021, eq. 1 and its numerically stable form). */
    public static double estimate(int n, int c, int k) {
        if (k < 1 || n < k || c < 0 || c > n) {
            throw new IllegalArgumentException("pass@k needs 1 <= k <= n and 0 <= c <= n, got n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;                                 // every k-subset holds a correct sample
        }
        double allWrong = 1.0;                          // C(n-c, k) / C(n, k)
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }

    /**
     * pass@k over problems from the histogram of their correct counts: {@code problemsWithCorrect[c]}
     * problems had c of n = {@code problemsWithCorrect.length - 1} samples correct.
     */
    public static double mean(long[] problemsWithCorrect, int k) {
        int n = problemsWithCorrect.length - 1;
        double sum = 0;
        long problems = 0;
        for (int c = 0; c <= n; c++) {
            sum += problemsWithCorrect[c] * estimate(n, c, k);
            problems += problemsWithCorrect[c];
        }
        return sum / problems;
    }
}
