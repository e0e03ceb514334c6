package dev.curlab.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Documents of a {@code .parquet} file, read through DuckDB's JDBC driver (an in-memory database,
 * {@code SELECT text, source, difficulty FROM read_parquet(?)}) and streamed in batches of
 * {@link #FETCH_SIZE} rows, never loaded whole. Columns: {@code text} (string, required),
 * {@code source} (string, optional), {@code difficulty} (any number, optional); other columns are
 * ignored and a null optional value counts as absent. A missing or non-string {@code text} column, a
 * null text or an unreadable file is a one-line {@link DataException} naming the file (and row).
 */
final class ParquetDocuments implements DocumentReader {
    static final int FETCH_SIZE = 1024;
    private static final List<String> NUMERIC = List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE");

    private final Path file;
    private final Connection db;
    private final ResultSet rows;
    private final boolean hasSource;
    private final boolean hasDifficulty;
    private long row;

    ParquetDocuments(Path file) {
        this.file = file;
        Connection c = null;
        try {
            c = connect();
            Map<String, String> columns = columns(c, file);
            String text = columns.get("text");
            if (text == null) {
                throw new DataException("file " + file + ": no column \"text\" (columns: " + String.join(", ", columns.keySet()) + ")");
            }
            if (!text.equals("VARCHAR")) {
                throw new DataException("file " + file + ": column \"text\" must be a string, got " + text);
            }
            hasSource = columns.containsKey("source");
            hasDifficulty = columns.containsKey("difficulty");
            if (hasSource && !"VARCHAR".equals(columns.get("source"))) {
                throw new DataException("file " + file + ": column \"source\" must be a string, got " + columns.get("source"));
            }
            if (hasDifficulty && !isNumeric(columns.get("difficulty"))) {
                throw new DataException("file " + file + ": column \"difficulty\" must be a number, got " + columns.get("difficulty"));
            }
            PreparedStatement q = c.prepareStatement("SELECT text, " + (hasSource ? "source" : "NULL") + ", "
                    + (hasDifficulty ? "CAST(difficulty AS DOUBLE)" : "NULL") + " FROM read_parquet(?)");
            q.setString(1, file.toString());
            q.setFetchSize(FETCH_SIZE);
            this.rows = q.executeQuery();
            this.db = c;
        } catch (SQLException e) {
            close(c);
            throw unreadable(file, e);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** An in-memory DuckDB that streams results and never fetches extensions. */
    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("threads", "1");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    /** Column names to DuckDB type names, in file order. */
    private static Map<String, String> columns(Connection c, Path file) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement d = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?)")) {
            d.setString(1, file.toString());
            try (ResultSet r = d.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString("column_name"), r.getString("column_type"));
                }
            }
        }
        return out;
    }

    private static boolean isNumeric(String type) {
        return NUMERIC.contains(type) || type.startsWith("DECIMAL");
    }

    @Override
    public Document next() {
        try {
            if (!rows.next()) {
                return null;
            }
            row++;
            String text = rows.getString(1);
            if (text == null) {
                throw new DataException("file " + file + " row " + row + ": \"text\" must be a string, got null");
            }
            String source = rows.getString(2);
            double difficulty = rows.getDouble(3);
            if (rows.wasNull()) {
                difficulty = Double.NaN;
            }
            return new Document(text, source, difficulty);
        } catch (SQLException e) {
            throw unreadable(file, e);
        }
    }

    private static DataException unreadable(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return new DataException("cannot read Parquet file " + file + ": " + (nl < 0 ? m : m.substring(0, nl)), e);
    }

    @Override
    public void close() {
        close(db);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing an in-memory database loses nothing
            }
        }
    }
}
