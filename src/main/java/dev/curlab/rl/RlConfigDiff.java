package dev.curlab.rl;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings in which two RL configs differ, as {@code "lr 0.001 there, 0.01 now; tasks ..."}:
 * what {@code rl-compare} says when a cell directory holds a run made with other settings.
 */
public final class RlConfigDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RlConfigDiff() {
    }

    /** The keys of {@code saved} and {@code now} whose values differ, skipping {@code ignore}; "" when none. */
    @SuppressWarnings("unchecked")
    public static String describe(RlConfig saved, RlConfig now, Set<String> ignore) {
        Map<String, Object> a = JSON.convertValue(saved, Map.class);
        Map<String, Object> b = JSON.convertValue(now, Map.class);
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            if (!ignore.contains(k) && !Objects.equals(a.get(k), b.get(k))) {
                sb.append(sb.length() == 0 ? "" : "; ").append(k).append(' ').append(a.get(k)).append(" there, ").append(b.get(k))
                        .append(" now");
            }
        }
        return sb.toString();
    }
}
