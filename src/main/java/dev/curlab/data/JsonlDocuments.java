package dev.curlab.data;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Documents of a {@code .jsonl} / {@code .jsonl.gz} file: one JSON object per line with a string
 * field {@code text} and optional fields {@code source} (string) and {@code difficulty} (number);
 * other fields are ignored, a {@code null} optional field counts as absent, and blank lines are
 * skipped. The first malformed line fails the read with a {@link DataException} naming the file,
 * the line and what was expected; a record over one of the parser's limits (nesting depth, number
 * length) is reported as that limit.
 */
final class JsonlDocuments implements DocumentReader {
    /**
     * Strings and names as long as a line can be (a {@code .txt} block has no limit either), instead of
     * Jackson's default 20,000,000-character strings; the nesting-depth and number-length limits stay.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final LineReader lines;

    JsonlDocuments(LineReader lines) {
        this.lines = lines;
    }

    @Override
    public Document next() {
        String line;
        do {
            line = lines.readLine();
            if (line == null) {
                return null;
            }
        } while (line.isBlank());

        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (StreamConstraintsException e) {
            throw error("the record is over a limit of the JSON parser ("
                    + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        } catch (JacksonException e) {
            throw error("expected a JSON object, got malformed JSON ("
                    + e.getOriginalMessage().replaceAll("\\s+", " ") + ")");
        }
        if (!node.isObject()) {
            throw error("expected a JSON object, got " + kind(node));
        }
        JsonNode text = node.get("text");
        if (text == null) {
            throw error("missing field \"text\" (expected a JSON object with a string field \"text\")");
        }
        if (!text.isTextual()) {
            throw error("field \"text\" must be a string, got " + kind(text));
        }
        JsonNode source = node.get("source");
        if (source != null && !source.isNull() && !source.isTextual()) {
            throw error("field \"source\" must be a string, got " + kind(source));
        }
        JsonNode difficulty = node.get("difficulty");
        if (difficulty != null && !difficulty.isNull() && !difficulty.isNumber()) {
            throw error("field \"difficulty\" must be a number, got " + kind(difficulty));
        }
        if (difficulty != null && difficulty.isNumber() && !Double.isFinite(difficulty.doubleValue())) {
            throw error("field \"difficulty\" must be a finite number, got one beyond a double's range (it reads as "
                    + difficulty.doubleValue() + ")");
        }
        return new Document(text.textValue(),
                source == null || source.isNull() ? null : source.textValue(),
                difficulty == null || difficulty.isNull() ? Double.NaN : difficulty.doubleValue());
    }

    private DataException error(String what) {
        return new DataException("file " + lines.file() + " line " + lines.lineNumber() + ": " + what);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    @Override
    public void close() {
        lines.close();
    }
}
