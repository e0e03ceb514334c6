package dev.curlab.data;

import java.nio.file.Path;
import java.util.List;

/** The documents of several data files, one file after the other in the given order. */
final class ConcatenatedDocuments implements DocumentReader {
    private final List<Path> files;
    private DocumentReader reader;
    private int fileIndex;

    ConcatenatedDocuments(List<Path> files) {
        this.files = files;
    }

    @Override
    public Document next() {
        while (fileIndex < files.size()) {
            if (reader == null) {
                reader = DataFiles.open(files.get(fileIndex));
            }
            Document doc = reader.next();
            if (doc != null) {
                return doc;
            }
            reader.close();
            reader = null;
            fileIndex++;
        }
        return null;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
