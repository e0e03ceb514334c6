import dev.curlab.data.*;
/**
 * Counts steps whose N = 16 consecutive training-stream windows (T = 64, byte tokens, seed 0) all carry
 * one source. Usage: java -cp target/curlab.jar scripts/SingleSourceSteps.java SPEC SHUFFLE_BUFFER STEPS
 */
public class SingleSourceSteps {
    public static void main(String[] a) {
        String spec = a[0]; int k = Integer.parseInt(a[1]); int steps = Integer.parseInt(a[2]); int n = 16;
        int single = 0; int single30 = 0;
        try (DataSource src = DataSpecs.open(spec, new ByteTokenizer(), 64, 0, Role.TRAIN, k)) {
            for (int s = 0; s < steps; s++) {
                String first = src.next().source(); boolean same = true;
                for (int i = 1; i < n; i++) same &= first.equals(src.next().source());
                if (same) { single++; if (s < 30) single30++; }
            }
        }
        System.out.println(spec + " K=" + k + ": single-source steps " + single30 + " of the first 30, " + single + " of " + steps);
    }
}
