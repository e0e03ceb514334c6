package dev.curlab.report;

/** Text into HTML. */
final class Html {
    private Html() {
    }

    /** {@code s} with the characters HTML gives a meaning escaped ({@code & < > "}). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
