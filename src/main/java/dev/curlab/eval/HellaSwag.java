package dev.curlab.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.DataException;
import dev.curlab.eval.MultipleChoiceEval.Question;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * HellaSwag questions from a jsonl file (fields {@code activity_label}, {@code ctx_a}, {@code ctx_b},
 * {@code endings}, {@code label}), prepared exactly as lm-evaluation-harness's {@code hellaswag} task:
 * query = preprocess(activity_label + ": " + ctx_a + " " + capitalize(ctx_b)), each ending
 * preprocessed the same way and scored after a space.
 */
public final class HellaSwag {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BRACKETS = Pattern.compile("\\[.*?\\]");

    private HellaSwag() {
    }

    /** The harness's preprocess: strip, " [title]" to ". ", drop other [...] tags, replace double spaces once. */
    public static String preprocess(String text) {
        String t = text.strip();
        t = t.replace(" [title]", ". ");
        t = BRACKETS.matcher(t).replaceAll("");
        return t.replace("  ", " ");
    }

    /** Python's str.capitalize(): first character upper case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.offsetByCodePoints(0, 1);
        return s.substring(0, first).toUpperCase() + s.substring(first).toLowerCase();
    }

    /** Reads every question of {@code file}; {@code limit} 0 = all. */
    public static List<Question> load(Path file, int limit) {
        List<Question> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null && (limit == 0 || out.size() < limit)) {
                number++;
                if (!line.isBlank()) {
                    out.add(question(file, number, line));
                }
            }
        } catch (IOException e) {
            throw new DataException("--task hellaswag: cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new DataException("--task hellaswag: " + file + " holds no questions");
        }
        return out;
    }

    private static Question question(Path file, int line, String json) {
        JsonNode doc;
        try {
            doc = JSON.readTree(json);
        } catch (IOException e) {
            throw error(file, line, "malformed JSON");
        }
        if (doc == null || !doc.isObject()) {
            throw error(file, line, "expected a JSON object");
        }
        String ctx = text(doc, "ctx_a", file, line) + " " + capitalize(text(doc, "ctx_b", file, line));
        String query = preprocess(text(doc, "activity_label", file, line) + ": " + ctx);
        JsonNode endings = doc.get("endings");
        if (endings == null || !endings.isArray() || endings.isEmpty()) {
            throw error(file, line, "field \"endings\" must be a non-empty array of strings");
        }
        List<String> choices = new ArrayList<>();
        for (JsonNode e : endings) {
            if (!e.isTextual()) {
                throw error(file, line, "field \"endings\" must be a non-empty array of strings");
            }
            choices.add(preprocess(e.textValue()));
        }
        JsonNode label = doc.get("label");
        int gold;
        try {
            gold = label == null ? -1 : label.isTextual() ? Integer.parseInt(label.textValue().strip()) : label.isInt() ? label.intValue() : -1;
        } catch (NumberFormatException e) {
            gold = -1;
        }
        if (gold < 0 || gold >= choices.size()) {
            throw error(file, line, "field \"label\" must be an index into endings (0.." + (choices.size() - 1) + "), got " + label);
        }
        return new Question(query, choices, " ", gold, null);
    }

    private static String text(JsonNode doc, String field, Path file, int line) {
        JsonNode v = doc.get(field);
        if (v == null || !v.isTextual()) {
            throw error(file, line, "field \"" + field + "\" must be a string");
        }
        return v.textValue();
    }

    private static DataException error(Path file, int line, String what) {
        return new DataException("--task hellaswag: file " + file + " line " + line + ": " + what);
    }
}
