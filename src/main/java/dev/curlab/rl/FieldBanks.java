package dev.curlab.rl;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.curlab.data.DataException;
import dev.curlab.data.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Banks as the field ships them, from a {@code .jsonl} or {@code .parquet} file (a Parquet row is
 * read as DuckDB's {@code to_json} of it, so both give the same JSON objects):
 * <ul>
 *   <li>{@code verl}: {@code prompt} (a string, or a list of {role, content} messages), answer
 *       {@code reward_model.ground_truth}; {@code data_source} (usually one data set for the whole
 *       file), {@code ability}, {@code extra_info} and {@code reward_model.style} are not used, so each
 *       problem is its own statistics bucket;</li>
 *   <li>{@code trl}: {@code prompt} (string or messages), answer the first of {@code ground_truth},
 *       {@code solution}, {@code answer} that exists;</li>
 *   <li>{@code gsm8k}: {@code question}; answer the rest of the line after the last {@code ####} of
 *       {@code answer}, commas stripped;</li>
 *   <li>{@code math}: {@code problem}; answer the contents of the last {@code \boxed{...}} of
 *       {@code solution}; source {@code type} and param {@code level} (from "Level 3") when present;</li>
 *   <li>{@code curlab}: {@link JsonlBank} and {@link ParquetBank}.</li>
 * </ul>
 * {@code --prompt-key} and {@code --answer-key} name other columns (a dot reaches into a struct:
 * {@code reward_model.ground_truth}); messages become text by {@link ChatTemplate}. A string answer is
 * taken as it is, a number as its JSON text. With {@code --bank-format auto} the columns decide, the
 * first rule that holds: keys given: trl; {@code reward_model}: verl; {@code question} and
 * {@code answer}: gsm8k; {@code problem} and {@code solution}: math; {@code prompt} (not a list) and
 * {@code answer}: curlab; {@code prompt} and one of the trl answers: trl.
 */
final class FieldBanks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TRL_ANSWERS = List.of("ground_truth", "solution", "answer");

    private FieldBanks() {
    }

    /** The problems of {@code file} in file order; {@code option} names the file's option in errors. */
    static BankFile read(Path file, BankOptions o) {
        boolean parquet = file.toString().endsWith(".parquet");
        if (parquet && !Files.exists(file)) {
            throw new DataException("--tasks " + file + ": no such file");
        }
        List<JsonlBank.Row> rows = parquet ? null : JsonlBank.rows(file);
        Map<String, String> columns = parquet ? parquetColumns(file) : jsonColumns(rows.get(0).node());
        String format = o.format() == BankFormat.AUTO ? detect(file, columns, o) : o.format().spelling();
        if (format.equals("curlab")) {
            return parquet ? ParquetBank.read(file) : JsonlBank.read(file);
        }
        if (parquet) {
            rows = parquetRows(file);
        }
        Mapping m = Mapping.of(format, o, columns.keySet());
        for (String key : List.of(m.prompt, m.answer)) {
            String column = key.split("\\.", 2)[0];
            if (!columns.containsKey(column)) {
                throw new DataException("file " + file + ": no column \"" + column + "\" for a " + format + " bank (columns: "
                        + String.join(", ", columns.keySet()) + ")");
            }
        }
        String unit = parquet ? "row" : "line";
        List<Problem> out = new ArrayList<>(rows.size());
        int[] where = new int[rows.size()];
        for (JsonlBank.Row r : rows) {
            where[out.size()] = r.n();
            out.add(m.problem("file " + file + " " + unit + " " + r.n() + ": ", r.node(), out.size()));
        }
        return new BankFile(file, out, where, unit);
    }

    /** The format the columns say, by the rules of this class's comment. */
    static String detect(Path file, Map<String, String> columns, BankOptions o) {
        Set<String> c = columns.keySet();
        if (o.promptKey() != null || o.answerKey() != null) {
            return "trl";
        }
        if (c.contains("reward_model")) {
            return "verl";
        }
        if (c.contains("question") && c.contains("answer")) {
            return "gsm8k";
        }
        if (c.contains("problem") && c.contains("solution")) {
            return "math";
        }
        if (c.contains("prompt") && c.contains("answer") && !isList(columns.get("prompt"))) {
            return "curlab";
        }
        if (c.contains("prompt") && TRL_ANSWERS.stream().anyMatch(c::contains)) {
            return "trl";
        }
        throw new DataException("file " + file + ": cannot tell the bank's format from its columns (" + String.join(", ", c)
                + "); give --bank-format, or --prompt-key and --answer-key");
    }

    /** Whether a column type is a list: a JSON array, a Parquet {@code T[]}. */
    private static boolean isList(String type) {
        return type.equals("array") || type.endsWith("[]");
    }

    /** Where one format finds prompt, answer, source and params in a row. */
    private record Mapping(String format, String prompt, String answer, String source) {
        static Mapping of(String format, BankOptions o, Set<String> columns) {
            Mapping d = switch (format) {
                case "verl" -> new Mapping(format, "prompt", "reward_model.ground_truth", null);
                case "gsm8k" -> new Mapping(format, "question", "answer", null);
                case "math" -> new Mapping(format, "problem", "solution", "type");
                default -> new Mapping(format, "prompt", TRL_ANSWERS.stream().filter(columns::contains).findFirst().orElse("ground_truth"), null);
            };
            return new Mapping(format, o.promptKey() != null ? o.promptKey() : d.prompt, o.answerKey() != null ? o.answerKey() : d.answer, d.source);
        }

        Problem problem(String at, JsonNode row, long id) {
            JsonNode p = at(row, prompt);
            String text = p != null && p.isTextual() ? p.textValue() : ChatTemplate.render(p);
            if (text == null) {
                throw new DataException(at + "field \"" + prompt + "\" must be a string or a list of {role, content} messages, got "
                        + kind(p));
            }
            if (text.isBlank()) {
                throw new DataException(at + "field \"" + prompt + "\" is empty");
            }
            JsonNode a = at(row, answer);
            if (a == null || !(a.isTextual() || a.isNumber())) {
                throw new DataException(at + "field \"" + answer + "\" must be a string or a number, got " + kind(a));
            }
            String ans = a.asText();
            if (format.equals("gsm8k")) {
                ans = AnswerFormat.afterHashes(ans);
                if (ans == null) {
                    throw new DataException(at + "field \"" + answer + "\" has no final answer after '####'");
                }
            } else if (format.equals("math")) {
                ans = AnswerFormat.lastBoxed(ans);
                if (ans == null) {
                    throw new DataException(at + "field \"" + answer + "\" has no \\boxed{...} answer");
                }
            }
            if (ans.isBlank()) {
                throw new DataException(at + "field \"" + answer + "\" is empty");
            }
            JsonNode s = source == null ? null : row.get(source);
            Map<String, Double> params = new LinkedHashMap<>();
            JsonNode level = format.equals("math") ? row.get("level") : null;
            if (level != null && level.isTextual() && level.textValue().matches("Level \\d+")) {
                params.put("level", Double.parseDouble(level.textValue().substring(6)));
            }
            return new Problem(id, s != null && s.isTextual() ? s.textValue() : null, text, ans, params);
        }

        private static JsonNode at(JsonNode row, String path) {
            JsonNode n = row;
            for (String part : path.split("\\.")) {
                n = n == null || !n.isObject() ? null : n.get(part);
            }
            return n == null || n.isNull() ? null : n;
        }

        private static String kind(JsonNode n) {
            return n == null ? "null (or missing)" : n.getNodeType().name().toLowerCase();
        }
    }

    /** Column names of a JSON row, each with "string" when its value is one (else its JSON type). */
    private static Map<String, String> jsonColumns(JsonNode first) {
        Map<String, String> out = new LinkedHashMap<>();
        first.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().getNodeType().name().toLowerCase()));
        return out;
    }

    /** Column names of a Parquet file, VARCHAR as "string". */
    private static Map<String, String> parquetColumns(Path file) {
        Connection c = null;
        try {
            c = DuckDb.connect();
            Map<String, String> out = new LinkedHashMap<>();
            DuckDb.columns(c, file).forEach((k, v) -> out.put(k, v.equals("VARCHAR") ? "string" : v));
            return out;
        } catch (SQLException e) {
            throw DuckDb.unreadable(file, e);
        } finally {
            DuckDb.close(c);
        }
    }

    /** Every row of a Parquet file as the JSON object DuckDB's {@code to_json} makes of it, rows counted from 1. */
    private static List<JsonlBank.Row> parquetRows(Path file) {
        Connection c = null;
        try {
            c = DuckDb.connect();
            List<JsonlBank.Row> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT to_json(t) FROM read_parquet(?) t")) {
                q.setString(1, file.toString());
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new JsonlBank.Row(out.size() + 1, JSON.readTree(r.getString(1))));
                    }
                }
            }
            if (out.isEmpty()) {
                throw new DataException("file " + file + ": no problems (no rows)");
            }
            return out;
        } catch (SQLException e) {
            throw DuckDb.unreadable(file, e);
        } catch (JacksonException e) {
            throw new DataException("cannot read Parquet file " + file + ": a row is not valid JSON (" + e.getOriginalMessage() + ")");
        } finally {
            DuckDb.close(c);
        }
    }
}
