package dev.curlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a text file ({@code .gz}: gzip-compressed) line by line with exact line numbers. Each line
 * is decoded as strict UTF-8 on its own, so invalid bytes and NUL bytes (binary data) are reported
 * with the line they are on. A leading byte-order mark is dropped; line ends are {@code \n} or
 * {@code \r\n}. Every failure is a one-line {@link DataException} naming the file.
 */
final class LineReader implements AutoCloseable {
    /** The longest line a Java byte array (and so one line) can hold. */
    static final int MAX_LINE_BYTES = Integer.MAX_VALUE - 8;
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final int maxLineBytes;
    private final long heapBytes;
    private final long heapLimit;
    private long lineNumber;
    private boolean eof;

    LineReader(Path file) {
        this(file, MAX_LINE_BYTES);
    }

    /** The same, with a smaller line limit (tests). */
    LineReader(Path file, int maxLineBytes) {
        this(file, maxLineBytes, Runtime.getRuntime().maxMemory());
    }

    /**
     * The same for a heap of {@code heapBytes}: a line is refused, naming the heap, once it is longer
     * than {@link #heapLineLimit} (buffered, copied, decoded and parsed, a line takes several times its
     * size), before the heap runs out.
     */
    LineReader(Path file, int maxLineBytes, long heapBytes) {
        this.file = file;
        this.maxLineBytes = maxLineBytes;
        this.heapBytes = heapBytes;
        this.heapLimit = heapLineLimit(heapBytes);
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            this.in = file.getFileName().toString().endsWith(".gz")
                    ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (NoSuchFileException e) {
            throw new DataException("data file not found: " + file);
        } catch (EOFException | ZipException e) {
            closeQuietly(raw);
            throw new DataException("file " + file + ": not a valid gzip file (" + reason(e) + ")");
        } catch (IOException e) {
            closeQuietly(raw);
            throw new DataException("cannot read data file " + file + ": " + e.getMessage());
        }
    }

    /** The longest line a heap of {@code heapBytes} parses: an eighth of it (buffer growth, copy, String, JSON tree). */
    static long heapLineLimit(long heapBytes) {
        return heapBytes / 8;
    }

    private static String mib(long bytes) {
        return bytes < 1048576 ? bytes + " bytes" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Number of the line last returned by {@link #readLine()} (1-based). */
    long lineNumber() {
        return lineNumber;
    }

    Path file() {
        return file;
    }

    /** The next line without its line end, or {@code null} at the end of the file. */
    String readLine() {
        if (eof) {
            return null;
        }
        line.reset();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (line.size() >= heapLimit && heapLimit < maxLineBytes) {
                    throw new DataException("file " + file + " line " + (lineNumber + 1) + ": a line longer than " + mib(heapLimit)
                            + ", more than the Java heap (" + mib(heapBytes) + ") can parse; split the record or raise the heap with"
                            + " CURLAB_JAVA_OPTS=-Xmx...");
                }
                if (line.size() >= maxLineBytes) {
                    throw new DataException("file " + file + " line " + (lineNumber + 1) + ": a line longer than "
                            + maxLineBytes + " bytes, the most one line can hold; split the record");
                }
                line.write(b);
            }
            if (b == -1) {
                eof = true;
                if (line.size() == 0) {
                    return null;
                }
            }
        } catch (EOFException | ZipException e) {
            throw new DataException("file " + file + " line " + (lineNumber + 1)
                    + ": truncated or corrupt gzip data (" + reason(e) + ")");
        } catch (IOException e) {
            throw new DataException("cannot read data file " + file + " at line " + (lineNumber + 1) + ": " + e.getMessage());
        }
        lineNumber++;
        return decode(line.toByteArray());
    }

    private String decode(byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        int start = 0;
        if (lineNumber == 1 && length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        for (int i = start; i < length; i++) {
            if (bytes[i] == 0) {
                throw new DataException("file " + file + " line " + lineNumber
                        + ": binary data (NUL byte at column " + (i - start + 1) + "); expected UTF-8 text");
            }
        }
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            throw new DataException("file " + file + " line " + lineNumber + ": invalid UTF-8; expected UTF-8 text");
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? "unexpected end of file" : e.getMessage();
    }

    private static void closeQuietly(InputStream s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing useful to do: the data was already read or the error already reported
            }
        }
    }
}
