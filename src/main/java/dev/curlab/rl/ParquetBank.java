package dev.curlab.rl;

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

/**
 * The problems of a {@code .parquet} bank, read through DuckDB's JDBC driver ({@link DuckDb}: an
 * in-memory database, {@code read_parquet(?)}) with the fields and meaning of a {@link JsonlBank}
 * line, one row per problem:
 * <ul>
 *   <li>{@code prompt}: string, required, never null;</li>
 *   <li>{@code answer}: required, never null; a string, or a number taken as the text a {@code .jsonl}
 *       bank gives the same JSON number: an integer column (or a {@code DECIMAL} of scale 0) as its
 *       digits ({@code 12}), a {@code DOUBLE} or {@code DECIMAL} as Java's text of the double
 *       ({@code 1.5}, {@code 12.0}, {@code 1.0E20}), a {@code FLOAT} as Java's text of the float
 *       ({@code 0.1});</li>
 *   <li>{@code source}: string, optional, null meaning none;</li>
 *   <li>{@code params}: optional, a {@code STRUCT} of numeric fields (what DuckDB writes for
 *       {@code {'n': 3}} and pyarrow for a column of dicts); a null struct means no params and a null
 *       field leaves that name out, as a JSON object without the key would. A {@code MAP} is
 *       refused with its type.</li>
 * </ul>
 * Other columns are ignored. A missing or mistyped column, a null or empty prompt or answer or a
 * non-finite param (naming the row, counted from 1), an empty or unreadable file is a one-line {@link DataException} naming the file.
 * {@link UserBank} splits and streams the problems.
 */
final class ParquetBank {
    private static final String FROM = " FROM read_parquet(?)";

    private ParquetBank() {
    }

    /** The file's problems in row order, ids counting from 0. */
    static BankFile read(Path file) {
        if (!Files.exists(file)) {
            throw new DataException("--tasks " + file + ": no such file");
        }
        Connection c = null;
        try {
            c = DuckDb.connect();
            Map<String, String> columns = DuckDb.columns(c, file);
            Answer answer = Answer.of(checkColumns(file, columns));
            List<String> params = paramNames(c, file, columns);
            StringBuilder select = new StringBuilder("SELECT prompt, ").append(answer.sql).append(", ")
                    .append(columns.containsKey("source") ? "source" : "NULL");
            for (String name : params) {
                select.append(", CAST(struct_extract(params, '").append(name.replace("'", "''")).append("') AS DOUBLE)");
            }
            try (PreparedStatement q = c.prepareStatement(select + FROM)) {
                q.setString(1, file.toString());
                List<Problem> out = rows(file, q.executeQuery(), answer, params);
                if (out.isEmpty()) {
                    throw new DataException("file " + file + ": no problems (expected rows with \"prompt\" and \"answer\")");
                }
                return new BankFile(file, out, java.util.stream.IntStream.rangeClosed(1, out.size()).toArray(), "row");
            }
        } catch (SQLException e) {
            throw DuckDb.unreadable(file, e);
        } finally {
            DuckDb.close(c);
        }
    }

    /** Checks the columns' types and returns the answer column's. */
    private static String checkColumns(Path file, Map<String, String> columns) {
        for (String required : List.of("prompt", "answer")) {
            if (!columns.containsKey(required)) {
                throw new DataException("file " + file + ": no column \"" + required + "\" (columns: "
                        + String.join(", ", columns.keySet()) + ")");
            }
        }
        if (!columns.get("prompt").equals("VARCHAR")) {
            throw new DataException("file " + file + ": column \"prompt\" must be a string, got " + columns.get("prompt"));
        }
        String answer = columns.get("answer");
        if (!answer.equals("VARCHAR") && !DuckDb.isNumeric(answer)) {
            throw new DataException("file " + file + ": column \"answer\" must be a string or a number, got " + answer);
        }
        String source = columns.get("source");
        if (source != null && !source.equals("VARCHAR")) {
            throw new DataException("file " + file + ": column \"source\" must be a string, got " + source);
        }
        return answer;
    }

    /** How the answer column is selected and rendered: the text a .jsonl bank gives the same JSON number. */
    private enum Answer {
        TEXT("CAST(answer AS VARCHAR)"),     // a string as it is, an integer (or DECIMAL(p,0)) as its digits
        DOUBLE("CAST(answer AS DOUBLE)"),    // Double.toString, as Jackson renders 1.5, 12.0, 1e20
        FLOAT("answer");                     // Float.toString: the float 0.1f reads "0.1", not its double's digits

        private static final List<String> INTEGERS = List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT");
        final String sql;

        Answer(String sql) {
            this.sql = sql;
        }

        static Answer of(String type) {
            if (type.equals("FLOAT")) {
                return FLOAT;
            }
            boolean integer = INTEGERS.contains(type) || type.matches("DECIMAL\\(\\d+,0\\)");
            return type.equals("VARCHAR") || integer ? TEXT : DOUBLE;
        }

        /** The answer of the current row as text; null when the row's value is null. */
        String read(ResultSet r, int column) throws SQLException {
            return switch (this) {
                case TEXT -> r.getString(column);
                case DOUBLE -> {
                    double d = r.getDouble(column);
                    yield r.wasNull() ? null : Double.toString(d);
                }
                case FLOAT -> {
                    float f = r.getFloat(column);
                    yield r.wasNull() ? null : Float.toString(f);
                }
            };
        }
    }

    /** The field names of a {@code params} struct (none without the column), each checked to be a number. */
    private static List<String> paramNames(Connection c, Path file, Map<String, String> columns) throws SQLException {
        String type = columns.get("params");
        if (type == null) {
            return List.of();
        }
        if (!type.startsWith("STRUCT(")) {
            throw new DataException("file " + file + ": column \"params\" must be a STRUCT of numbers, got " + type);
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> f : DuckDb.columns(c, "SELECT params.*" + FROM, file).entrySet()) {
            if (!DuckDb.isNumeric(f.getValue())) {
                throw new DataException("file " + file + ": params." + f.getKey() + " must be a number, got " + f.getValue());
            }
            names.add(f.getKey());
        }
        return names;
    }

    private static List<Problem> rows(Path file, ResultSet r, Answer how, List<String> params) throws SQLException {
        List<Problem> out = new ArrayList<>();
        while (r.next()) {
            long row = out.size() + 1;
            String prompt = r.getString(1);
            if (prompt == null) {
                throw new DataException("file " + file + " row " + row + ": \"prompt\" must be a string, got null");
            }
            String answer = how.read(r, 2);
            if (answer == null) {
                throw new DataException("file " + file + " row " + row + ": \"answer\" must be a string or a number, got null");
            }
            String at = "file " + file + " row " + row + ": ";
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                double v = r.getDouble(4 + i);
                if (!r.wasNull()) {
                    values.put(params.get(i), JsonlBank.finite(at, params.get(i), v));
                }
            }
            out.add(JsonlBank.problem(at, out.size(), r.getString(3), prompt, answer, values));
        }
        return out;
    }
}
