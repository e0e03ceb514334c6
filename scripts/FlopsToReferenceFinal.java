import dev.curlab.report.RunData;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Per seed: the FLOPs a run needed to reach the same seed's reference final eval loss (linear between
 * evaluations), over the reference's train FLOPs; and the paired final-loss difference with a
 * percentile bootstrap 95% interval (10,000 resamples, seed 0).
 * Usage: java -cp target/curlab.jar scripts/FlopsToReferenceFinal.java REFERENCE_DIR SELECTOR_DIR SEEDS
 * (each DIR holds seed0, seed1, ...: a compare's random/ and soft-q/, say)
 */
public class FlopsToReferenceFinal {
    public static void main(String[] a) {
        Path refDir = Path.of(a[0]);
        Path selDir = Path.of(a[1]);
        int seeds = Integer.parseInt(a[2]);
        double[] diff = new double[seeds];
        double sum = 0;
        double sumSq = 0;
        int reached = 0;
        for (int k = 0; k < seeds; k++) {
            RunData ref = RunData.load(refDir.resolve("seed" + k));
            RunData run = RunData.load(selDir.resolve("seed" + k));
            double target = ref.finalEvalLoss();
            diff[k] = run.finalEvalLoss() - target;
            double[] loss = run.evalLoss();
            double[] flops = run.evalTrainFlops();
            double at = Double.NaN;
            for (int i = 0; i < loss.length; i++) {
                if (loss[i] <= target) {
                    at = i == 0 ? flops[0] : flops[i - 1] + (flops[i] - flops[i - 1]) * (loss[i - 1] - target) / (loss[i - 1] - loss[i]);
                    break;
                }
            }
            double ratio = at / ref.trainFlops().total();
            if (Double.isFinite(ratio)) {
                reached++;
                sum += ratio;
                sumSq += ratio * ratio;
            }
            System.out.printf(Locale.ROOT, "seed %d: final %.4f vs %.4f (%+.4f); FLOPs to %.4f: %s%n", k, run.finalEvalLoss(), target,
                    diff[k], target, Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.3f", ratio) : "not reached");
        }
        double mean = sum / reached;
        double sd = reached > 1 ? Math.sqrt((sumSq - reached * mean * mean) / (reached - 1)) : Double.NaN;
        Random rng = new Random(0);
        double[] boot = new double[10_000];
        for (int b = 0; b < boot.length; b++) {
            double s = 0;
            for (int i = 0; i < seeds; i++) {
                s += diff[rng.nextInt(seeds)];
            }
            boot[b] = s / seeds;
        }
        java.util.Arrays.sort(boot);
        double m = java.util.Arrays.stream(diff).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "paired final difference %+.4f [%+.4f, %+.4f]; FLOPs to the reference's final: %.3f ± %.3f (%d/%d reached)%n",
                m, boot[249], boot[9749], mean, sd, reached, seeds);
    }
}
