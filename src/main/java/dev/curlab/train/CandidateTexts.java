package dev.curlab.train;

import dev.curlab.data.Tokenizer;
import dev.curlab.data.Window;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The highest- and lowest-valued candidates of a step as readable text, for the report's "what did
 * the selector value" section: fields {@code top_candidates} and {@code bottom_candidates}, each a
 * list of {@code {"text", "value", "source"}}.
 */
final class CandidateTexts {
    static final int SHOWN = 3;
    static final int CHARS = 96;

    private CandidateTexts() {
    }

    static void put(Map<String, Object> line, List<Window> windows, double[] values, Tokenizer tok) {
        if (values.length != windows.size()) {
            return;
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, values.length).boxed().toList());
        order.sort(Comparator.comparingDouble((Integer i) -> values[i]).reversed());
        int n = Math.min(SHOWN, order.size());
        line.put("top_candidates", entries(order.subList(0, n), windows, values, tok));
        List<Integer> bottom = new ArrayList<>(order.subList(order.size() - n, order.size()));
        java.util.Collections.reverse(bottom);
        line.put("bottom_candidates", entries(bottom, windows, values, tok));
    }

    private static List<Map<String, Object>> entries(List<Integer> idx, List<Window> windows, double[] values, Tokenizer tok) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i : idx) {
            Window w = windows.get(i);
            String text = tok.decode(w.tokens()).replaceAll("\\p{Cntrl}", " ");
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("text", text.length() > CHARS ? text.substring(0, CHARS) + "…" : text);
            e.put("value", values[i]);
            e.put("source", w.source());
            out.add(e);
        }
        return out;
    }
}
