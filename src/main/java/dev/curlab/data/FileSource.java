package dev.curlab.data;

import dev.curlab.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Windows cut from data files (a {@code .txt}, {@code .jsonl}, {@code .jsonl.gz} file, or a
 * directory of them read as one stream; see {@link DataFiles}). The files of a directory are read
 * one after the other in sorted order, or, when an interleaving seed is given, their documents are
 * interleaved at random in proportion to the files' sizes ({@link InterleavedDocuments}), with a
 * fresh order each epoch.
 *
 * <p><b>Windows.</b> Documents are tokenized and joined with the tokenizer's end-of-text token
 * ({@code d1 eot d2 eot d3 ...}, across file boundaries too; documents with no tokens are skipped),
 * and the token stream is cut into consecutive, non-overlapping windows of {@code context + 1}
 * tokens. A window carries the source and difficulty of the document where it starts; the eot
 * before a document counts as that document's first token. The trailing partial window of an
 * epoch is dropped. {@link Window#id()} is the window's index within its epoch, so a window keeps
 * its id in every epoch, while {@link #position()} counts over all epochs.
 *
 * <p><b>Epochs.</b> Files are read incrementally, one document at a time. When the last file is
 * exhausted the next call to {@link #next()} starts the next epoch from the first file (so
 * {@link #epoch()} turns 1 when the first window of the second pass is handed out). The stream
 * does not shuffle windows; {@link ShuffleBuffer} does.
 *
 * <p><b>Errors.</b> Fail fast: the first malformed line (invalid UTF-8, binary data, truncated
 * gzip, bad JSONL) stops the stream with a one-line {@link DataException} naming the file and
 * line. A data set too short for a single window fails when its first epoch ends.
 */
public final class FileSource implements DataSource {
    private final Path path;
    private final List<Path> files;
    private final Tokenizer tokenizer;
    private final int context;
    private final Long interleaveSeed;   // null: the files one after the other

    private DocumentReader reader;       // this epoch's documents
    private int[] buffer = new int[1024];
    private int head;
    private int tail;
    private long consumed;           // stream offset (within the epoch) of buffer[head]
    private long appended;           // stream offset (within the epoch) of buffer[tail]
    private final ArrayDeque<Tag> pendingTags = new ArrayDeque<>();
    private Tag currentTag;
    private long windowsThisEpoch;
    private long position;
    private int epoch;

    /** The tags of the document whose tokens start at stream offset {@code start}. */
    private record Tag(long start, String source, double difficulty) {
    }

    /** Opens {@code path}, a data file or a directory of them read in sorted order. Throws {@link DataException}. */
    public FileSource(Path path, Tokenizer tokenizer, int context) {
        this(path, tokenizer, context, null);
    }

    /**
     * Opens {@code path}; the documents of a directory's files are interleaved with generators
     * derived from {@code interleaveSeed} (one per epoch), or read file after file when it is null.
     */
    public FileSource(Path path, Tokenizer tokenizer, int context, Long interleaveSeed) {
        if (context < 1) {
            throw new IllegalArgumentException("context must be >= 1, got " + context);
        }
        this.path = path;
        this.files = DataFiles.list(path);
        this.tokenizer = tokenizer;
        this.context = context;
        this.interleaveSeed = interleaveSeed;
    }

    @Override
    public Window next() {
        int length = context + 1;
        while (tail - head < length) {
            if (!readDocument()) {
                startNextEpoch();
            }
        }
        while (!pendingTags.isEmpty() && pendingTags.peekFirst().start() <= consumed) {
            currentTag = pendingTags.pollFirst();
        }
        int[] tokens = Arrays.copyOfRange(buffer, head, head + length);
        head += length;
        consumed += length;
        position++;
        return new Window(windowsThisEpoch++, tokens, currentTag.source(), currentTag.difficulty());
    }

    /** Appends the next non-empty document to the buffer; false at the end of the epoch's last document. */
    private boolean readDocument() {
        if (reader == null) {
            reader = interleaveSeed == null || files.size() == 1 ? new ConcatenatedDocuments(files)
                    : new InterleavedDocuments(files, Rng.derive(interleaveSeed, "data/interleave/epoch-" + epoch));
        }
        for (Document doc; (doc = reader.next()) != null; ) {
            int[] ids = tokenizer.encode(doc.text());
            if (ids.length == 0) {
                continue;
            }
            boolean first = appended == 0;
            pendingTags.addLast(new Tag(appended, doc.source(), doc.difficulty()));
            ensureRoom(ids.length + 1);
            if (!first) {
                buffer[tail++] = tokenizer.endOfText();
            }
            System.arraycopy(ids, 0, buffer, tail, ids.length);
            tail += ids.length;
            appended += ids.length + (first ? 0 : 1);
            return true;
        }
        reader.close();
        reader = null;
        return false;
    }

    private void startNextEpoch() {
        if (windowsThisEpoch == 0) {
            String what = Files.isDirectory(path) ? "directory " : "file ";
            throw new DataException(what + path + " yields no windows of context " + context + "+1 tokens: it has only "
                    + appended + " tokens");
        }
        epoch++;
        head = 0;
        tail = 0;
        consumed = 0;
        appended = 0;
        pendingTags.clear();
        currentTag = null;
        windowsThisEpoch = 0;
    }

    private void ensureRoom(int extra) {
        if (tail + extra <= buffer.length) {
            return;
        }
        int pending = tail - head;
        int[] target = pending + extra <= buffer.length / 2 ? buffer
                : new int[Math.max(2 * buffer.length, pending + extra)];
        System.arraycopy(buffer, head, target, 0, pending);
        buffer = target;
        head = 0;
        tail = pending;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public String describe() {
        String what = files.size() == 1 && files.get(0).equals(path) ? "file " + path
                : "directory " + path + " (" + files.size() + " files" + (interleaveSeed == null ? "" : ", interleaved") + ")";
        return what + ", tokenizer " + tokenizer.name() + ", T=" + context;
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
