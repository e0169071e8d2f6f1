package dev.bootsource.cli;

import dev.bootsource.capabilities.CapabilityConfigException;
import dev.bootsource.cluster.ClusterInputException;
import picocli.CommandLine;

/**
 * Turns failures into one line on stderr and a non-zero exit code: exit 2 for bad input or
 * configuration the user can fix, 1 for anything else.
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        commandLine.getErr().println("bootsource: " + describe(e));
        return e instanceof ClusterInputException || e instanceof CapabilityConfigException
                || e instanceof IllegalArgumentException ? BAD_INPUT : FAILURE;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
