package dev.bootsource.errors;

/**
 * Something the user gave (an option, a file, a name) is wrong and they can fix it. The command line
 * reports it as bad input (exit 2); any other {@link IllegalArgumentException} is a bug and is reported as
 * one.
 */
public class InvalidInputException extends IllegalArgumentException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
