package dev.curlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.curlab.util.UserError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeldoutSplitTest {

    private static List<Window> windows(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Window(i, new int[] {i, i + 1}, null, Double.NaN)).toList();
    }

    @Test
    void disjointCompleteAndSized() {
        for (int n : new int[] {2, 3, 10, 101}) {
            for (int k = 1; k < n; k += Math.max(1, n / 7)) {
                List<Window> all = windows(n);
                HeldoutSplit s = HeldoutSplit.split(all, k);
                assertEquals(k, s.eval().size());
                assertEquals(n - k, s.reward().size());
                Set<Long> ids = new HashSet<>();
                s.eval().forEach(w -> ids.add(w.id()));
                s.reward().forEach(w -> assertTrue(ids.add(w.id()), "window in both parts: " + w));
                assertEquals(n, ids.size());
            }
        }
    }

    @Test
    void evalIsSpreadOverTheWholeFileInOrder() {
        HeldoutSplit s = HeldoutSplit.split(windows(10), 3);
        assertEquals(List.of(0L, 3L, 6L), s.eval().stream().map(Window::id).toList());
        assertEquals(List.of(1L, 2L, 4L, 5L, 7L, 8L, 9L), s.reward().stream().map(Window::id).toList());
        HeldoutSplit half = HeldoutSplit.split(windows(100), 50);
        assertEquals(98L, half.eval().get(49).id(), "the last eval window lies near the end of the file");
    }

    @Test
    void deterministic() {
        assertEquals(HeldoutSplit.split(windows(57), 9), HeldoutSplit.split(new ArrayList<>(windows(57)), 9));
    }

    @Test
    void rejectsTooFewWindowsAndBadSizes() {
        UserError e = assertThrows(UserError.class, () -> HeldoutSplit.split(windows(1), 1));
        assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
        assertThrows(UserError.class, () -> HeldoutSplit.split(windows(5), 0));
        assertThrows(UserError.class, () -> HeldoutSplit.split(windows(5), 5));
    }
}
