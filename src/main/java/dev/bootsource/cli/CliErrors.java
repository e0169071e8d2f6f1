package dev.bootsource.cli;

import dev.bootsource.capabilities.CapabilityConfigException;
import dev.bootsource.cluster.ClusterInputException;
import dev.bootsource.errors.ErrorMessages;
import dev.bootsource.errors.InvalidInputException;
import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and a non-zero exit code: exit 2 for bad input or
 * configuration the user can fix, 1 for anything else (named an internal error where it is a bug).
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        if (isBadInput(e)) {
            commandLine.getErr().println("bootsource: " + ErrorMessages.firstLine(e.getMessage(), e.getClass().getSimpleName()));
            return BAD_INPUT;
        }
        // Anything else is not the user's doing: say so, so a bug never reads like a mistake in the input.
        commandLine.getErr().println("bootsource: " + (isBug(e) ? "internal error (please report it): "
                + e.getClass().getSimpleName() + ": " : "") + ErrorMessages.firstLine(e.getMessage(), e.getClass().getSimpleName()));
        return FAILURE;
    }

    /** Exceptions only a mistake in BootSource itself throws. */
    static boolean isBug(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof NullPointerException
                || e instanceof ClassCastException || e instanceof IndexOutOfBoundsException;
    }

    static boolean isBadInput(Exception e) {
        return e instanceof ClusterInputException || e instanceof CapabilityConfigException || e instanceof InvalidInputException;
    }
}
