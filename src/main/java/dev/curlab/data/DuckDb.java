package dev.curlab.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * DuckDB's JDBC driver as curlab reads Parquet files with it: an in-memory database per file, the
 * file's column types, and its errors cut to one line naming the file. Shared by the documents of
 * {@code --data} ({@link ParquetDocuments}) and the RL problem banks of {@code --tasks}.
 */
public final class DuckDb {
    private static final List<String> NUMERIC = List.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE");

    private DuckDb() {
    }

    /** An in-memory DuckDB that streams results and never fetches extensions. */
    public static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("threads", "1");
        return DriverManager.getConnection("jdbc:duckdb:", p);
    }

    /** Column names to DuckDB type names ({@code VARCHAR}, {@code STRUCT(n INTEGER)}), in the order of {@code select}'s columns. */
    public static Map<String, String> columns(Connection c, String select, Path file) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement d = c.prepareStatement("DESCRIBE " + select)) {
            d.setString(1, file.toString());
            try (ResultSet r = d.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString("column_name"), r.getString("column_type"));
                }
            }
        }
        return out;
    }

    /** Column names to DuckDB type names, in file order. */
    public static Map<String, String> columns(Connection c, Path file) throws SQLException {
        return columns(c, "SELECT * FROM read_parquet(?)", file);
    }

    /** Whether a DuckDB type name is a number: an integer of any width, a float or a decimal. */
    public static boolean isNumeric(String type) {
        return NUMERIC.contains(type) || type.startsWith("DECIMAL");
    }

    /** A one-line {@link DataException}: the file and the first line of DuckDB's message. */
    public static DataException unreadable(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return new DataException("cannot read Parquet file " + file + ": " + (nl < 0 ? m : m.substring(0, nl)), e);
    }

    /** Closes {@code c} when it is open; closing an in-memory database loses nothing. */
    public static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing to keep
            }
        }
    }
}
