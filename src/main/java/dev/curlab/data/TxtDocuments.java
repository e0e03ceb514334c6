package dev.curlab.data;

/**
 * Documents of a {@code .txt} file: one document per block of lines, blocks separated by one or
 * more blank (empty or whitespace-only) lines. A block's lines are joined with {@code \n}.
 * Documents carry no tags (source null, difficulty NaN). The file is read line by line, but one
 * block is held in memory whole, so a huge file without blank lines is one huge document.
 */
final class TxtDocuments implements DocumentReader {
    private final LineReader lines;

    TxtDocuments(LineReader lines) {
        this.lines = lines;
    }

    @Override
    public Document next() {
        StringBuilder block = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    break;
                }
                continue;
            }
            if (!block.isEmpty()) {
                block.append('\n');
            }
            block.append(line);
        }
        return block.isEmpty() ? null : new Document(block.toString(), null, Double.NaN);
    }

    @Override
    public void close() {
        lines.close();
    }
}
