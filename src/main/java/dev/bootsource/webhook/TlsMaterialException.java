package dev.bootsource.webhook;

/** TLS certificate or key files that cannot be used; the message names the file and the problem. */
public final class TlsMaterialException extends IllegalArgumentException {

    public TlsMaterialException(String message) {
        super(message);
    }

    public TlsMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
