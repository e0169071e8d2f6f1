package dev.bootsource.cli;

import picocli.CommandLine.Command;

/** Placeholder until the verify command lands. */
@Command(name = "verify", description = "Not available yet.")
final class VerifyCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bootsource: verify is not available in this build");
        return 1;
    }
}
