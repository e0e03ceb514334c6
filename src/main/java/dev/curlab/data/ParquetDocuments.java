package dev.curlab.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Documents of a {@code .parquet} file, read through DuckDB's JDBC driver ({@link DuckDb}: an
 * in-memory database, {@code SELECT text, source, difficulty FROM read_parquet(?)}) and streamed in
 * batches of {@link #FETCH_SIZE} rows, never loaded whole. Columns: {@code text} (string, required),
 * {@code source} (string, optional), {@code difficulty} (any number, optional); other columns are
 * ignored and a null optional value counts as absent. A missing or non-string {@code text} column, a
 * null text or an unreadable file is a one-line {@link DataException} naming the file (and row).
 */
final class ParquetDocuments implements DocumentReader {
    static final int FETCH_SIZE = 1024;

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
            c = DuckDb.connect();
            Map<String, String> columns = DuckDb.columns(c, file);
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
            if (hasDifficulty && !DuckDb.isNumeric(columns.get("difficulty"))) {
                throw new DataException("file " + file + ": column \"difficulty\" must be a number, got " + columns.get("difficulty"));
            }
            PreparedStatement q = c.prepareStatement("SELECT text, " + (hasSource ? "source" : "NULL") + ", "
                    + (hasDifficulty ? "CAST(difficulty AS DOUBLE)" : "NULL") + " FROM read_parquet(?)");
            q.setString(1, file.toString());
            q.setFetchSize(FETCH_SIZE);
            this.rows = q.executeQuery();
            this.db = c;
        } catch (SQLException e) {
            DuckDb.close(c);
            throw DuckDb.unreadable(file, e);
        } catch (RuntimeException e) {
            DuckDb.close(c);
            throw e;
        }
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
            } else if (Double.isInfinite(difficulty)) {
                throw new DataException("file " + file + " row " + row + ": \"difficulty\" must be a finite number, got " + difficulty);
            }
            return new Document(text, source, difficulty);
        } catch (SQLException e) {
            throw DuckDb.unreadable(file, e);
        }
    }

    @Override
    public void close() {
        DuckDb.close(db);
    }
}
