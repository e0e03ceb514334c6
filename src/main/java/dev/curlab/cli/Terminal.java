package dev.curlab.cli;

/**
 * Whether progress may be drawn in place (a bar redrawn with carriage returns) or must be written
 * as plain lines (a pipe, a file, a CI log). The launcher knows whether stderr is a terminal and
 * passes {@code -Dcurlab.interactive=true|false}; without it, a missing {@link System#console()}
 * (stdin or stdout not a terminal) means plain lines.
 */
final class Terminal {
    private Terminal() {
    }

    static boolean interactive() {
        String given = System.getProperty("curlab.interactive");
        if (given != null && !given.isBlank()) {
            return Boolean.parseBoolean(given.strip());
        }
        return System.console() != null;
    }
}
