package dev.curlab.data;

/**
 * One document read from a data file.
 *
 * @param text       the document's text
 * @param source     source tag, or {@code null}
 * @param difficulty difficulty tag, or NaN
 */
record Document(String text, String source, double difficulty) {
}
