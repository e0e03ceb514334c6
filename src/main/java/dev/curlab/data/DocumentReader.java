package dev.curlab.data;

/** Reads the documents of one data file in order, incrementally. */
interface DocumentReader extends AutoCloseable {

    /** The next document, or {@code null} at the end of the file. Throws {@link DataException}. */
    Document next();

    @Override
    void close();
}
