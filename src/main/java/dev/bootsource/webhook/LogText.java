package dev.bootsource.webhook;

/**
 * Values a client controls (names, uids, header values, parse errors quoting the body), made safe for a
 * one-line log: control characters, line and paragraph separators become escapes ({@code \n},
 * {@code \r}, {@code \t}, {@code \u2028}, ...) and a backslash is doubled. Whatever a client sends
 * stays inside its field of one log line.
 *
 * <p>The log pattern escapes double quotes in the message itself; key-value pairs it prints as
 * {@code key="value"} unescaped, so {@link #value} escapes the quote too.
 */
public final class LogText {

    private LogText() {
    }

    /** For the log message. */
    public static String escape(Object value) {
        return escape(value, false);
    }

    /** For a key-value pair of a log event. */
    public static String value(Object value) {
        return escape(value, true);
    }

    private static String escape(Object value, boolean quotes) {
        String text = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = c == '"' && !quotes ? null : replacement(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String replacement(char c) {
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT
                    ? String.format("\\u%04x", (int) c)
                    : null;
        };
    }
}
