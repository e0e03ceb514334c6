package dev.curlab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and opens data files. Supported: {@code .txt} and {@code .txt.gz} ({@link TxtDocuments}),
 * {@code .jsonl} and {@code .jsonl.gz} ({@link JsonlDocuments}), {@code .parquet} ({@link ParquetDocuments}). A directory stands for all data
 * files below it, recursively, in sorted path order; other files in it are ignored.
 */
final class DataFiles {
    static final String EXTENSIONS = ".txt, .jsonl, .jsonl.gz or .parquet";

    private DataFiles() {
    }

    static boolean isDataFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".txt") || name.endsWith(".txt.gz") || name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")
                || name.endsWith(".parquet");
    }

    /** The data files of {@code path}: the file itself, or those below a directory in sorted order. */
    static List<Path> list(Path path) {
        if (!Files.exists(path)) {
            throw new DataException("data file not found: " + path);
        }
        if (!Files.isDirectory(path)) {
            if (!isDataFile(path)) {
                throw new DataException("unsupported data file " + path + " (expected " + EXTENSIONS + ")");
            }
            if (!Files.isReadable(path)) {
                throw new DataException("cannot read data file " + path + ": permission denied");
            }
            return List.of(path);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(path)) {
            files = walk.filter(Files::isRegularFile).filter(DataFiles::isDataFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataException("cannot list data directory " + path + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new DataException("directory " + path + " contains no data files (expected " + EXTENSIONS + ")");
        }
        return files;
    }

    /** Opens the document reader for one data file. */
    static DocumentReader open(Path file) {
        if (file.getFileName().toString().endsWith(".parquet")) {
            return new ParquetDocuments(file);
        }
        LineReader lines = new LineReader(file);
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") ? new JsonlDocuments(lines) : new TxtDocuments(lines);
    }
}
