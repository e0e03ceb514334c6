package dev.curlab.rl;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.DataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems of a {@code .jsonl} bank in curlab's format, one object per line with string fields
 * {@code prompt} and {@code answer}, neither empty (a number is taken as Jackson's text of it:
 * {@code 12} as "12", {@code 1.5} as "1.5", {@code 12.50} as "12.5", {@code 1e20} as "1.0E20"),
 * optional {@code source} (string) and {@code params} (an object of finite numbers); blank lines are
 * skipped. The first malformed line fails with the file, the line and the field. {@link UserBank}
 * splits and streams them; {@link FieldBanks} reads the field's formats from the same lines.
 */
final class JsonlBank {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One non-blank line: its number from 1 and its JSON object. */
    record Row(int n, JsonNode node) {
    }

    private JsonlBank() {
    }

    /** The file's problems in line order, ids counting from 0. */
    static BankFile read(Path file) {
        List<Row> rows = rows(file);
        List<Problem> out = new ArrayList<>(rows.size());
        int[] lines = new int[rows.size()];
        for (Row r : rows) {
            lines[out.size()] = r.n();
            out.add(parse("file " + file + " line " + r.n() + ": ", r.node(), out.size()));
        }
        return new BankFile(file, out, lines, "line");
    }

    /** The file's non-blank lines as JSON objects; the first that is not one fails naming file and line. */
    static List<Row> rows(Path file) {
        List<Row> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (!line.isBlank()) {
                    out.add(new Row(n, object("file " + file + " line " + n + ": ", line)));
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DataException("--tasks " + file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new DataException("file " + file + ": not UTF-8 text (expected JSON lines)");
        } catch (IOException e) {
            throw new DataException("--tasks " + file + ": cannot read (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new DataException("file " + file + ": no problems (expected JSON lines with \"prompt\" and \"answer\")");
        }
        return out;
    }

    private static JsonNode object(String at, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new DataException(at + "expected a JSON object, got malformed JSON (" + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        }
        if (!node.isObject()) {
            throw new DataException(at + "expected a JSON object with \"prompt\" and \"answer\", got " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    /** One curlab-format object as a problem; {@code at} ("file F line N: ") starts every error. */
    static Problem parse(String at, JsonNode node, long id) {
        JsonNode prompt = node.get("prompt");
        JsonNode answer = node.get("answer");
        if (prompt == null || !prompt.isTextual()) {
            throw new DataException(at + (prompt == null ? "missing field \"prompt\"" : "field \"prompt\" must be a string"));
        }
        if (answer == null || !(answer.isTextual() || answer.isNumber())) {
            throw new DataException(at + (answer == null ? "missing field \"answer\"" : "field \"answer\" must be a string or a number"));
        }
        JsonNode source = node.get("source");
        if (source != null && !source.isNull() && !source.isTextual()) {
            throw new DataException(at + "field \"source\" must be a string");
        }
        Map<String, Double> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null && !p.isNull()) {
            if (!p.isObject()) {
                throw new DataException(at + "field \"params\" must be an object of numbers");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber()) {
                    throw new DataException(at + "params." + e.getKey() + " must be a number");
                }
                params.put(e.getKey(), finite(at, e.getKey(), e.getValue().doubleValue()));
            }
        }
        return problem(at, id, source == null || source.isNull() ? null : source.textValue(), prompt.textValue(), answer.asText(), params);
    }

    /** {@code v}, or a one-line error naming the param when it is infinite or NaN (1e400 reads as infinity). */
    static double finite(String at, String key, double v) {
        if (!Double.isFinite(v)) {
            throw new DataException(at + "params." + key + " must be a finite number, got " + v);
        }
        return v;
    }

    /** The problem, or a one-line error when its prompt or answer is empty (an empty answer is no problem, and a free reward). */
    static Problem problem(String at, long id, String source, String prompt, String answer, Map<String, Double> params) {
        if (prompt.isBlank()) {
            throw new DataException(at + "field \"prompt\" is empty");
        }
        if (answer.isBlank()) {
            throw new DataException(at + "field \"answer\" is empty");
        }
        return new Problem(id, source, prompt, answer, params);
    }
}
