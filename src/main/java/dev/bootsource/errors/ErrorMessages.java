package dev.bootsource.errors;

/** One-line messages from exceptions, for logs, events and the command line. */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    /** The first line of the message, or the exception's simple name when it has none. */
    public static String firstLine(Throwable error) {
        return firstLine(error.getMessage(), error.getClass().getSimpleName());
    }

    /** The first line of the innermost cause's message: what actually went wrong, without the wrapping. */
    public static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root);
    }

    /** The first line of {@code message}; empty when there is none. */
    public static String firstLine(String message) {
        return firstLine(message, "");
    }

    /** The first line of {@code message}, or {@code fallback} when it is empty. */
    public static String firstLine(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return message.lines().findFirst().orElse(message).strip();
    }
}
